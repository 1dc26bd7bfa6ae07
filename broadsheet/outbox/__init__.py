"""The mail outbox: accepted mail is kept in the database until the mail server took it."""
