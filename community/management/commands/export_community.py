"""Write everything the community owns to one JSON-lines file."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from community import portability


class Command(BaseCommand):
    help = ("Export members (without passwords), spaces, threads, posts, votes, projects, "
            "partners and events as JSON lines; load it elsewhere with import_community.")

    def add_arguments(self, parser):
        parser.add_argument("out", help="The file to write (OUT.jsonl); '-' for stdout.")

    def handle(self, *args, out, **options):
        quiet = options["verbosity"] == 0 or out == "-"
        bar = tqdm(disable=quiet, unit=" rows", desc="Exporting")

        def progress(label, rows):
            bar.set_postfix_str(label, refresh=False)
            bar.update(rows)

        if out == "-":
            portability.export(self.stdout, progress=progress)
            return
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a folder: choose where to write.")
        partial = path.with_name(path.name + ".partial")
        with partial.open("w", encoding="utf-8") as stream:
            counts = portability.export(stream, progress=progress)
        partial.replace(path)  # a half-written export never carries the final name
        bar.close()
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {sum(counts.values())} rows to {path}:"))
        for label, rows in counts.items():
            self.stdout.write(f"  {label}: {rows}")
