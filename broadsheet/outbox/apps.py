from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Mail waiting to be sent, kept in the database so a crash or a mail outage loses none."""

    name = "broadsheet.outbox"
    label = "outbox"
    verbose_name = "Mail outbox"
