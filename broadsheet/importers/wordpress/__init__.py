"""WordPress eXtended RSS (WXR): ``parse`` reads it into plain records, ``convert`` turns
WordPress markup into sanitized HTML, ``load`` writes records into the site, ``export`` writes
the site back out as WXR 1.2."""
