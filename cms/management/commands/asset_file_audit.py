"""``manage.py asset_file_audit``: list the assets whose stored file today's upload rules refuse."""

from django.core.management.base import BaseCommand, CommandError

from cms.selectors import assets_with_refused_files


class Command(BaseCommand):
    help = (
        "List live, draft, scheduled and expired (not archived) assets whose stored file fails today's upload "
        "rules (cms.uploads: the formats of the asset's type, checked on the file's extension and content), "
        "such as a legacy .eps brand kit or .svg logo uploaded before the rules. Changes nothing: an editor "
        "replaces the file, changes the type or archives the asset. Exits with status 1 when it finds any."
    )

    def handle(self, *args, **options):
        rows = [
            (str(asset.pk), asset.lifecycle_state, asset.asset_type, asset.file.name, asset.title, problem)
            for asset, problem in assets_with_refused_files()
        ]
        if not rows:
            self.stdout.write(self.style.SUCCESS("Every asset's file passes today's upload rules."))
            return
        header = ("ID", "State", "Type", "File", "Title", "Problem")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
        for row in [header, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1]]))
        raise CommandError(f"{len(rows)} asset(s) have a file today's upload rules refuse.", returncode=1)
