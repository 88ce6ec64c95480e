"""What members write, made safe and findable: ``rendering`` turns Markdown into sanitised
HTML at write time, ``limits`` holds new-member limits, posting rates and spam checks,
``images`` checks and re-encodes uploads, ``search`` indexes and queries threads."""
