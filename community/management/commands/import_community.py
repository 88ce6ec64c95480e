"""Load a community export (from export_community) into an empty site."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from community import portability


class Command(BaseCommand):
    help = ("Load an export_community file into a fresh site: all of it or nothing. "
            "Members set a new password through 'forgot password'.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON-lines file export_community wrote.")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        bar = tqdm(disable=options["verbosity"] == 0, unit=" rows", desc="Importing")

        def progress(label, rows):
            bar.set_postfix_str(label, refresh=False)
            bar.update(rows)

        with path.open(encoding="utf-8", errors="strict") as stream:
            try:
                counts = portability.load(stream, progress=progress)
            except (portability.NotAnExport, UnicodeDecodeError) as error:
                raise CommandError(str(error).split("\n")[0]) from None
            finally:
                bar.close()
        self.stdout.write(self.style.SUCCESS(f"Loaded {sum(counts.values())} rows:"))
        for label, rows in counts.items():
            self.stdout.write(f"  {label}: {rows}")
        self.stdout.write("Members log in again by setting a new password "
                          "('Forgot your password?').")
