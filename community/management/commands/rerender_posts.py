"""Re-render posts stored by an older renderer (after ``rendering.RENDER_VERSION`` changes)."""
from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from community.content import rendering
from community.models import Post
from community.services.conversations import render_stored

BATCH = 500


class Command(BaseCommand):
    help = "Render again every post whose render_version is older than the current renderer."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Re-render every post.")

    def handle(self, *args, **options):
        qs = Post.objects.filter(is_deleted=False)
        qs = qs if options["all"] else qs.filter(
            render_version__lt=rendering.RENDER_VERSION
        )
        ids = list(qs.order_by("pk").values_list("pk", flat=True))
        done = 0
        for start in tqdm(range(0, len(ids), BATCH), disable=options["verbosity"] == 0,
                          desc="Re-rendering", unit="batch"):
            with transaction.atomic():
                posts = list(Post.objects.select_for_update().filter(
                    pk__in=ids[start:start + BATCH]).order_by("pk"))
                for post in posts:
                    rendered = render_stored(post.body, post.body_format)
                    post.body_html, post.render_version = rendered.html, rendered.version
                Post.objects.bulk_update(posts, ["body_html", "render_version"])
                done += len(posts)
        self.stdout.write(self.style.SUCCESS(f"Re-rendered {done} posts."))
