"""Whatever order events arrive in, and however often, stored scores equal a full rescore."""
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.engine import engagement
from community.models import EngagementEvent, Post, Thread, Vote
from community.services import conversations

from .. import factories
from .test_engagement import _snapshot

pytestmark = pytest.mark.django_db

OPS = st.lists(
    st.tuples(
        st.sampled_from(["thread", "question", "reply", "answer", "like", "unlike",
                         "helpful", "delete", "accept", "deliver"]),
        st.integers(0, 5),  # who acts
        st.integers(0, 50),  # which thread / post (modulo what exists)
        st.integers(0, 2**32),  # seed for which events arrive when
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(ops=OPS)
def test_incremental_scores_equal_rescore(ops):
    space = factories.SpaceFactory(name="Property space")
    people = [factories.UserFactory() for _ in range(5)] + [factories.HostFactory()]
    for op, who, target, seed in ops:
        actor = people[who]
        threads = list(Thread.objects.filter(is_deleted=False).order_by("pk"))
        posts = list(Post.objects.filter(is_deleted=False, thread__is_deleted=False)
                     .select_related("thread").order_by("pk"))
        if op in ("thread", "question") or not threads:
            kind = Thread.Kind.QUESTION if op == "question" else Thread.Kind.DISCUSSION
            conversations.thread_create(author=actor, space=space, kind=kind,
                                        title=f"Thread {target}", body="body")
        elif op in ("reply", "answer"):
            thread = threads[target % len(threads)]
            parent = None
            if op == "reply":
                in_thread = [p for p in posts if p.thread_id == thread.pk]
                parent = in_thread[target % len(in_thread)] if in_thread else None
            conversations.post_create(author=actor, thread=thread, body="text", parent=parent)
        elif op in ("like", "helpful", "unlike") and posts:
            post = posts[target % len(posts)]
            kind = Vote.Kind.HELPFUL if op == "helpful" else Vote.Kind.LIKE
            if post.author_id == actor.pk or (kind == "helpful" and post.kind != "answer"):
                continue
            if op == "unlike":
                conversations.vote_withdraw(voter=actor, post=post, kind=kind)
            else:
                conversations.vote_cast(voter=actor, post=post, kind=kind)
        elif op == "delete" and posts:
            post = posts[target % len(posts)]
            conversations.post_delete(actor=post.author, post=post)
        elif op == "accept":
            answers = [p for p in posts if p.kind == "answer"]
            if answers:
                answer = answers[target % len(answers)]
                conversations.answer_accept(actor=answer.thread.author, answer=answer)
        elif op == "deliver":
            # Some events arrive now, shuffled, some of them for the second time.
            rnd = random.Random(seed)
            ids = list(EngagementEvent.objects.values_list("pk", flat=True))
            chosen = rnd.sample(ids, k=min(len(ids), rnd.randint(1, 6)))
            chosen += rnd.sample(chosen, k=min(len(chosen), 2))
            for event_id in chosen:
                engagement.apply_events([event_id])

    engagement.process_pending(max_batches=1000)
    incremental = _snapshot()
    engagement.rescore_all()
    assert _snapshot() == incremental
