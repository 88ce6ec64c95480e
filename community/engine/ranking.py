"""The formulas behind every score, as plain functions of numbers.

Thread social score (the Conversations feed's order key)::

    activity = 3 * member_participants       # distinct members (not staff) who posted
             + 2 * member_replies            # replies by one member to another member
             + 3 * peer_answers              # answers by a member other than the asker
             + 1 * member_votes              # likes and helpful votes cast by members
    score    = log10(1 + activity)
             + (created_at - EPOCH) / TAU    # newer threads start higher
             - STAFF_START_PENALTY  if staff started the thread
             - DOMINATED_PENALTY    if staff wrote more than half of 3 or more posts
             - STAFF_START_PENALTY  if a partner started it, unless members carry it
                                    (MEMBERS_CARRY distinct members or more posted)

Partners are the brand's guests, not its customers (the feed's reading of
:mod:`community.words`, partners on the brand side): their posts count as the brand's here
(not as member participants, replies or answers, and with staff towards "dominated"), so a
partner's announcement ranks like the brand's until customers take the conversation over.

Age enters only through the creation time, so a stored score never goes stale as the clock
moves: every thread "decays" at the same rate relative to newer ones (two days of age
weigh as much as ten times the activity), and nothing needs rescoring on a timer. Only an
event on a thread changes its score. Staff penalties are worth two days of age each.

Member scores::

    peer_help  = 3 * peer_answers            # answers to other members' questions
               + 10 * accepted_answers       # accepted on somebody else's question
               + 2 * helpful_received        # helpful votes from others
               + 5 * invites_joined          # friends who joined through their invites
    collaboration = 1 * projects_joined      # building with others (the purpose app)
                  + 1 * needs_pledged
                  + 0.5 * contribution_votes_cast
    contribution  = 2 * contributions        # ideas, designs, how-tos submitted
                  + 10 * contributions_won
    engagement = posts + 0.5 * votes_cast + peer_help + collaboration + contribution
"""
import math
from datetime import UTC, datetime

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
TAU = 172_800.0  # seconds (two days): this much age equals a tenfold change in activity

W_PARTICIPANT = 3.0
W_MEMBER_REPLY = 2.0
W_PEER_ANSWER = 3.0
W_MEMBER_VOTE = 1.0
STAFF_START_PENALTY = 1.0
DOMINATED_PENALTY = 1.0
MEMBERS_CARRY = 3

W_HELP_ANSWER = 3.0
W_HELP_ACCEPTED = 10.0
W_HELP_HELPFUL = 2.0
W_HELP_INVITE = 5.0
W_VOTE_CAST = 0.5
W_PROJECT_JOINED = 1.0
W_PLEDGED = 1.0
W_PROJECT_VOTE = 0.5
W_CONTRIBUTED = 2.0
W_WON = 10.0


def thread_activity(*, member_participants: int, member_replies: int, peer_answers: int,
                    member_votes: int) -> float:
    return (
        W_PARTICIPANT * member_participants
        + W_MEMBER_REPLY * member_replies
        + W_PEER_ANSWER * peer_answers
        + W_MEMBER_VOTE * member_votes
    )


def is_brand_dominated(*, staff_posts: int, total_posts: int) -> bool:
    """:func:`community.words.brand_dominated`; ``staff_posts``: the brand's posts (here the
    brand side's, staff and partners)."""
    from community import words

    return words.brand_dominated(brand_posts=staff_posts, total_posts=total_posts)


def social_score(*, created_at: datetime, member_participants: int, member_replies: int,
                 peer_answers: int, member_votes: int, staff_posts: int, total_posts: int,
                 started_by_staff: bool, partner_posts: int = 0,
                 started_by_partner: bool = False) -> float:
    activity = thread_activity(
        member_participants=member_participants, member_replies=member_replies,
        peer_answers=peer_answers, member_votes=member_votes,
    )
    score = math.log10(1.0 + activity) + (created_at - EPOCH).total_seconds() / TAU
    if started_by_staff or (started_by_partner and member_participants < MEMBERS_CARRY):
        score -= STAFF_START_PENALTY
    if is_brand_dominated(staff_posts=staff_posts + partner_posts, total_posts=total_posts):
        score -= DOMINATED_PENALTY
    return round(score, 6)


def peer_help(*, peer_answers: int, accepted_answers: int, helpful_received: int,
              invites_joined: int) -> float:
    return (
        W_HELP_ANSWER * peer_answers
        + W_HELP_ACCEPTED * accepted_answers
        + W_HELP_HELPFUL * helpful_received
        + W_HELP_INVITE * invites_joined
    )


def collaboration(*, joined: int, pledged: int, voted: int) -> float:
    return W_PROJECT_JOINED * joined + W_PLEDGED * pledged + W_PROJECT_VOTE * voted


def contribution(*, contributed: int, won: int) -> float:
    return W_CONTRIBUTED * contributed + W_WON * won


def engagement(*, posts: int, votes_cast: int, help: float, collaboration: float = 0.0,
               contribution: float = 0.0) -> float:
    return posts + W_VOTE_CAST * votes_cast + help + collaboration + contribution
