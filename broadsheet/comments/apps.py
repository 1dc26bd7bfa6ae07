from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """Reader comments: the form, moderation, spam defences, privacy and notifications."""

    name = "broadsheet.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from broadsheet.comments.discussion import forget_cached_discussion_settings
        from broadsheet.comments.models import DiscussionSettings

        post_save.connect(forget_cached_discussion_settings, sender=DiscussionSettings)
