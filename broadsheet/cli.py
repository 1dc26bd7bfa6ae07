"""The ``broadsheet`` command: Django's management commands with Broadsheet's settings,
and a short help page that lists what a site operator actually needs."""

from __future__ import annotations

import os
import sys

OVERVIEW = """\
usage: broadsheet COMMAND [options]

Run and manage a Broadsheet news blog.

Getting started
  init [--no-demo]        create the database, demo content and an admin account
  serve [--host --port --workers]
                          run the production web server (granian)
  createadmin USERNAME    create an administrator and print a one-time password

Content
  articles list [--status S]      one line per article
  articles publish ID [ID ...]    publish (or schedule) articles
  articles unpublish ID [ID ...]  move articles back to draft
  demo load                       add the demo articles to this site
  search reindex                  rebuild the full-text search index

Comments and privacy
  comments list [--status S] [--article ID] [--limit N]
                                  one line per comment, newest first
  comments approve|unapprove|spam|trash|delete ID [ID ...]
                                  moderate comments (approve and spam teach the filter)
  comments purge-ips [--days N]   blank IP addresses older than N days
  privacy export EMAIL            everything stored about a commenter, as JSON
  privacy erase EMAIL             anonymise a commenter's comments; threads stay

Moving from WordPress
  import wxr FILE [--dry-run] [--media-dir DIR] [--author-map FILE]
                          import a WordPress export (safe to run again)
  export wxr [-o FILE]    write the site as a WordPress export (WXR 1.2)

Maintenance
  migrate                 apply database migrations
  cache purge [TAG ...]   forget cached pages: all, or those showing a TAG
  check [--deploy]        look for configuration problems
  shell                   a Python shell with the site loaded
  dbshell                 the database's own shell
  help --all              every command, including Django's own

Configuration comes from environment variables (see the README); with none set,
the site lives in ./var/ on SQLite.
"""


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    if len(argv) < 2 or argv[1] in {"-h", "--help"} or argv[1:] == ["help"]:
        sys.stdout.write(OVERVIEW)
        return
    if argv[1:] == ["help", "--all"]:
        argv = argv[:1] + ["help"]
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - load the settings now, to report bad values plainly
    except ImproperlyConfigured as error:
        sys.stderr.write(f"broadsheet: configuration error: {error}\n")
        raise SystemExit(2) from None
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
