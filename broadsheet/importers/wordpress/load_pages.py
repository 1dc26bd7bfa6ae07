"""Loading pages (parents before children, whatever the file's order), their comments, and
media. Mixed into :class:`~broadsheet.importers.wordpress.load.Loader`; these items are few, so
each is written through the ORM in its own transaction."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from django.conf import settings

from broadsheet.content.models import RESERVED_PAGE_SLUGS, Page
from broadsheet.core.markup import plain_text, sanitize_html
from broadsheet.importers.models import Media, PageComment, WordPressObject
from broadsheet.importers.wordpress.plan import AttachmentPlan, PostPlan
from broadsheet.importers.wordpress.rows import (
    comment_extra,
    guess_type,
    post_extra,
    upload_source,
)

Kind = WordPressObject.Kind


class PageLoading:
    # -- media ---------------------------------------------------------------------------------
    def load_media(self, plan: AttachmentPlan) -> None:
        record = plan.record
        existing = self.mapping(Kind.ATTACHMENT, [record.wp_id]).get(record.wp_id)
        if existing is not None and existing.checksum == plan.checksum:
            self.report.skip("media", "unchanged since the last import")
            return
        media = existing.content_object if existing else None
        media = media or Media()
        media.title = plan.title[:300]
        media.original_url = plan.url[:1000]
        media.alt_text = plan.alt[:500]
        media.caption = plain_text(record.excerpt)
        media.description = sanitize_html(record.content)
        media.mime_type = guess_type(plan.url)
        media.author = self.author_for(record.creator, record.wp_id) if record.creator else None
        created = record.meta_value("_broadsheet_created")
        media.uploaded_at = (
            dt.datetime.fromisoformat(created) if created else record.date or self.now
        )
        media.file = self.copy_upload(plan.relative_path)
        media.save()
        self.remember(
            Kind.ATTACHMENT,
            record.wp_id,
            media,
            guid=record.guid[:500],
            old_path=plan.old_path,
            checksum=plan.checksum,
            extra=post_extra(record),
        )
        self.report.count("media", "updated" if existing else "created")

    def copy_upload(self, relative: str) -> str:
        source = upload_source(self.options.media_dir, relative)
        if source is None:
            return ""
        if not self.options.dry_run:
            target = Path(settings.MEDIA_ROOT) / "uploads" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        return f"uploads/{relative}"[:500]

    # -- pages ---------------------------------------------------------------------------------
    def load_page(self, plan: PostPlan, final: bool = False) -> None:
        record = plan.record
        parent_pk = None
        if record.parent_wp_id:
            parent_pk = self.pages.get(record.parent_wp_id) or self.page_from_mapping(
                record.parent_wp_id
            )
            if parent_pk is None and not final:
                self.held_pages.append(plan)
                return
            if parent_pk is None:
                self.report.note(
                    f"parent page {record.parent_wp_id} is not in the file", record.wp_id
                )
        existing = self.mapping(Kind.PAGE, [record.wp_id]).get(record.wp_id)
        page = existing.content_object if existing else None
        if page is not None and existing.checksum == plan.checksum:
            self.report.skip("pages", "unchanged since the last import")
            self.pages[record.wp_id] = page.pk
            self.load_page_comments(page, plan)
            return
        created = page is None
        if page is None:
            free = not Page.objects.filter(pk=record.wp_id).exists()
            page = Page(pk=record.wp_id if free else None)
        page.title = plan.title
        page.parent_id = parent_pk
        page.slug = self.free_page_slug(plan, parent_pk, page.pk if not created else None)
        page.body_format, page.body = plan.body_format, plan.body
        page.author = self.author_for(record.creator, record.wp_id) if record.creator else None
        page.status = plan.status
        page.menu_order = record.menu_order
        page.show_in_menu = plan.show_in_menu
        page.save(force_insert=created)
        if not created:
            from broadsheet.content.services import refresh_descendant_paths

            refresh_descendant_paths(page)
        self.pages[record.wp_id] = page.pk
        self.remember(
            Kind.PAGE,
            record.wp_id,
            page,
            guid=record.guid[:500],
            old_path=plan.old_path,
            checksum=plan.checksum,
            extra=post_extra(record),
        )
        for note in plan.notes:
            self.report.note(note, record.wp_id)
        self.report.count("pages", "created" if created else "updated")
        self.load_page_comments(page, plan)

    def page_from_mapping(self, wp_id: int) -> int | None:
        found = self.mapping(Kind.PAGE, [wp_id]).get(wp_id)
        return found.object_id if found else None

    def free_page_slug(self, plan: PostPlan, parent_pk: int | None, own_pk: int | None) -> str:
        wanted = plan.slug
        if parent_pk is None and (wanted in RESERVED_PAGE_SLUGS or wanted.isdigit()):
            self.report.note(
                f"page slug “{wanted}” is one of the site's own addresses", plan.record.wp_id
            )
            wanted = f"{wanted}-page"
        parent_path = Page.objects.get(pk=parent_pk).path + "/" if parent_pk else ""
        slug, number = wanted, 2
        while Page.objects.filter(path=parent_path + slug).exclude(pk=own_pk).exists():
            slug, number = f"{wanted}-{number}", number + 1
        return slug

    def flush_held_pages(self) -> None:
        while self.held_pages:
            waiting, self.held_pages = self.held_pages, []
            for plan in waiting:
                self.guarded("pages", plan.record.wp_id, plan.title, self.load_page, plan)
            if len(self.held_pages) == len(waiting):  # parents that never come
                for plan in self.held_pages:
                    self.guarded("pages", plan.record.wp_id, plan.title, self.load_page, plan, True)
                self.held_pages = []

    def load_page_comments(self, page: Page, plan: PostPlan) -> None:
        ids = [c.record.wp_id for c in plan.comments]
        existing = self.mapping(Kind.PAGE_COMMENT, ids)
        made: dict[int, int] = {wp: row.object_id for wp, row in existing.items()}
        for comment in plan.comments:  # parents before replies: ordered by the planner
            record = comment.record
            row = existing.get(record.wp_id)
            if row is not None and row.checksum == record.checksum():
                self.report.skip("comments", "unchanged since the last import")
                continue
            kept = PageComment.objects.filter(pk=row.object_id).first() if row else None
            kept = kept or PageComment(page=page)
            kept.parent_id = made.get(record.parent_wp_id)
            kept.author_name, kept.author_email = comment.author_name, comment.author_email
            kept.author_url, kept.ip_address = comment.author_url, comment.ip_address
            kept.body, kept.status, kept.comment_type = comment.body, comment.state, record.type
            kept.created_at = comment.created_at
            kept.save()
            made[record.wp_id] = kept.pk
            self.remember(
                Kind.PAGE_COMMENT,
                record.wp_id,
                kept,
                checksum=record.checksum(),
                extra=comment_extra(comment),
            )
            self.report.count("comments", "updated" if row else "created")
            self.report.note(
                "comment on a page: kept, not shown (pages take no comments)", record.wp_id
            )
