"""Read every post (of a space) for listening: its tone, the brand, sarcasm.

The engagement worker reads each post as it is written; this fills in the posts written
before (an import, a site upgraded) and rereads all of them after a change of the brand's
words or of the rules. Prints the tone distribution, how many posts speak of the brand and
how many need a human touch, and the time taken.
"""
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from community.host.listening import sentiment, signals
from community.models import Post, PostSignal, Space


class Command(BaseCommand):
    help = "Compute the listening signal (tone, brand, sarcasm) of every post, or a space's."

    def add_arguments(self, parser):
        parser.add_argument("--space", help="Only the posts of this space (its slug).")

    def handle(self, *args, space=None, **options):
        posts = Post.objects.filter(is_deleted=False)
        if space:
            found = Space.objects.filter(slug=space).first()
            if found is None:
                raise CommandError(f"No space is called {space!r}.")
            posts = posts.filter(thread__space=found)
        ids = list(posts.order_by("pk").values_list("pk", flat=True))
        started = time.perf_counter()
        stored = signals.signals_compute(ids)
        elapsed = time.perf_counter() - started
        rows = PostSignal.objects.filter(post_id__in=ids)
        bands = Counter(sentiment.band_of(score)
                        for score in rows.values_list("sentiment", flat=True))
        self.stdout.write(self.style.SUCCESS(
            f"Read {stored} posts in {elapsed:.1f}s ({elapsed / max(stored, 1) * 1000:.2f} ms "
            f"a post)."))
        for key, label, *_ in sentiment.BANDS:
            share = bands[key] / stored if stored else 0
            self.stdout.write(f"  {label:<18} {bands[key]:>6}  {share:6.1%}")
        reasons = Counter(code for codes in rows.filter(needs_touch=True)
                          .values_list("reasons", flat=True) for code in codes)
        self.stdout.write(f"  about the brand    {rows.filter(about_brand=True).count():>6}")
        self.stdout.write(f"  likely sarcastic   {rows.filter(sarcasm=True).count():>6}")
        self.stdout.write(f"  need a human touch {rows.filter(needs_touch=True).count():>6}")
        for code, count in reasons.most_common():
            self.stdout.write(f"    {code:<16} {count:>6}")
