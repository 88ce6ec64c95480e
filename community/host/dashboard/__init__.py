"""Community health: do customers talk to each other, or only to the brand?

The words of ARCHITECTURE.md, defined once here and computed in SQL over a period:

- *post*: an opening post, answer or reply that is not deleted and not waiting in the
  review queue, in a thread that is not deleted. *Staff* and *member* posts are the
  dashboard's reading of :mod:`community.words`: staff posts are those written as a staff
  host (``Post.author_role``, fixed at write time); every other post, partners' and former
  members' included, is a *member* post.
- **social ratio** = member posts / posts.
- A *question* counts in the period it was asked; its answers count whenever they came.
  *Answered*: at least one answer (replies never count). *Peer answered*: its first answer
  came from a member other than the asker. **peer answer share** = peer answered / answered.
- **accepted peer share** = questions whose accepted answer is by a member other than the
  asker / questions with an accepted answer.
- **time to first peer answer**: over questions with at least one answer by a member other
  than the asker, hours from the question to the first such answer; median (the mean of the
  two middle values when their number is even) and 90th percentile.
- **brand-dominated thread**: a thread started in the period with at least 3 posts of which
  staff wrote more than half (:func:`community.words.brand_dominated`, the brand being staff:
  partners are members here).
- **unanswered question**: a question of the period with no answer.
- **invitation growth**: invitations created in the period, members who joined through an
  invitation in the period, and joined members per inviting member.
- **advocates**: members ranked by the help they gave other members in the period (peer
  answers, accepted answers, helpful votes received, invites that joined, each as
  :mod:`community.words` defines it for the Advocates page too), weighted as in
  :mod:`community.engine.ranking`.
- **all time**: from the day of the first post to today (:meth:`Period.all_time`).
- **change**: each headline figure against the same figure of the previous period of the
  same length (:meth:`Period.previous`, :func:`changes`), computed by :func:`health` too;
  "no earlier data" when nothing happened then; none for all time.

Ratios are fractions between 0 and 1, ``None`` when the denominator is 0.

In this package: ``period`` (the period, the posts counted, the arithmetic), ``figures``
(the health figures and the breakdowns), ``mix`` (the engagement strategies) and
``changes`` (against the previous period); callers read every name from the package.
"""
from __future__ import annotations

from .changes import (  # noqa: F401
    COMPARED,
    NO_EARLIER_DATA,
    changes,
    had_activity,
)
from .figures import (  # noqa: F401
    CLI_KEYS,
    DOMINATED_MIN_POSTS,
    MEMBER_POST,
    PARTY_LINE,
    SPACE_MIN_POSTS,
    STAFF_POST,
    advocates,
    cli_health,
    dominated_threads,
    health,
    hours_to_first_peer_answer,
    questions,
    spaces,
    trends,
)
from .mix import (  # noqa: F401
    engagement_mix,
    engagement_over_time,
)
from .period import (  # noqa: F401
    EARLIEST_DAY,
    LATEST_DAY,
    PERIOD_RANGE,
    Percentile,
    Period,
    chart_buckets,
    first_post_day,
    live_posts,
    percentile,
    ratio,
)
