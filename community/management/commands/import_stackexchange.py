"""Import a Stack Exchange data dump into a space: idempotent, resumable, streaming."""
import re
import resource
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from community.importers.stackexchange import DumpError, StackExchangeImport
from community.models import Space


def _ids(value: str) -> set[int]:
    try:
        return {int(v) for v in value.split(",") if v.strip()}
    except ValueError:
        raise CommandError("--staff-user-ids takes numbers separated by commas, "
                           "e.g. 13,17,60.") from None


STAFF_OPTION = "--staff-user-ids"
# A list of ids whose first is negative ("-1,13": Stack Exchange's system account is -1).
_ID_LIST = re.compile(r"^-\d+(\s*,\s*-?\d+)*,?$")


class _Parser(CommandParser):
    """Takes ``--staff-user-ids -1,13`` as written: argparse alone reads a value that starts
    with a minus as another option, unless it is one number."""

    def parse_args(self, args=None, namespace=None):
        if args is not None:
            args, joined = list(args), []
            while args:
                arg = args.pop(0)
                if arg == STAFF_OPTION and args and _ID_LIST.match(args[0]):
                    arg = f"{STAFF_OPTION}={args.pop(0)}"
                joined.append(arg)
            args = joined
        return super().parse_args(args, namespace)

    def error(self, message):
        if STAFF_OPTION in message:
            message += (f" (give the ids as one list, e.g. {STAFF_OPTION} 13,17,60, or "
                        f"{STAFF_OPTION}=-1,13 when the list starts with a minus)")
        super().error(message)


class Command(BaseCommand):
    help = ("Import a Stack Exchange data dump (Users.xml, Posts.xml, Comments.xml, "
            "Votes.xml) into a space. Running it again imports nothing twice; an "
            "interrupted run continues.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Django builds the parser (its options, its errors as CommandError from
        # call_command); _Parser only adds how it reads the staff list.
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _Parser
        return parser

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--space", required=True, help="Slug of the space (created if "
                            "missing).")
        parser.add_argument("--space-name", help="Name for a new space (default: the slug).")
        parser.add_argument(STAFF_OPTION, type=_ids, default=set(),
                            help="Dump user ids that become staff hosts, e.g. 13,17,60. "
                                 "Negative ids (-1, the Community bot) are system accounts, "
                                 "imported as staff whether listed or not.")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--workers", type=int, default=None,
                            help="Processes that render post bodies while batches are "
                                 "written (default: 1 on a machine with 2 cores or more; "
                                 "0 renders in this process).")

    def handle(self, *args, **options):
        directory: Path = options["directory"]
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        slug = options["space"]
        space, created = Space.objects.get_or_create(
            slug=slug, defaults={"name": options["space_name"] or slug.replace("-", " ")
                                 .capitalize()})
        if created:
            self.stdout.write(f"Created the space {space.name}.")
        started = time.perf_counter()
        importer = StackExchangeImport(
            directory, space=space, staff_ids=options["staff_user_ids"],
            progress=not options["no_progress"] and options["verbosity"] > 0,
            workers=options["workers"])
        try:
            summary = importer.run()
        except DumpError as error:
            raise CommandError(str(error)) from None
        elapsed = time.perf_counter() - started
        for line in summary.lines():
            self.stdout.write(line)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(self.style.SUCCESS(
            f"Imported into {space.name} in {elapsed:.1f}s (peak memory {peak:.0f} MiB); "
            "scores rebuilt."))
