"""Compare: when two outlets' counts or dates are values of one thing (value slots), on
the cases real news writes differently in each outlet: poll shares in a clause that names
the leader, a share of a subgroup, an amount hung on the accusation, a copula amount, and
dates of one election worded two ways. Each case has its counterpart that must stay
apart, so the tests fail both when matching is too strict and when it is too loose."""

from __future__ import annotations

import pytest

from parallax.model import StoryReport
from tests.test_compare import build, compared


def story(first: str, second: str, *, published: str = "2011-04-07") -> StoryReport:
    texts = {
        "one": ("Meridian Wire", f"{published}T10:00:00", first),
        "two": ("Northgate Sentinel", f"{published}T11:00:00", second),
    }
    return compared("s", build(texts))


def sides(report: StoryReport, kind: str = "number") -> list[list[tuple[str, str]]]:
    """Each conflict of the kind as (article, value) pairs, sorted."""
    return [
        sorted((v["article_id"], v["value"]) for v in conflict["values"])
        for conflict in report["conflicts"]
        if conflict["kind"] == kind
    ]


def days(report: StoryReport) -> list[list[tuple[str, str]]]:
    """Each date conflict as (article, month and day) pairs: the year is the date
    resolver's, not the comparison's."""
    return [[(article, value[5:]) for article, value in side] for side in sides(report, "date")]


POLL_ONE = (
    "Donald Trump placed second in an NBC/Wall Street Journal poll of potential 2012 "
    "Republican candidates. In the poll, former Massachusetts Gov. Mitt Romney leads the "
    "would-be group of contenders with 21 percent of Republican primary voters surveyed, "
    "followed by Donald Trump and former Arkansas Gov. Mike Huckabee at 17 percent each."
)
POLL_TWO = (
    "A national NBC/WSJ poll released yesterday shows Donald Trump tied for 2nd with Mike "
    "Huckabee in the 2012 GOP primary field at {trump} percent (Mitt Romney leads the pack "
    "at {romney} percent). Trump finishes first among Tea Party supporters (at 20 percent), "
    "followed by Romney ({tea} percent) and Huckabee (14 percent)."
)


def test_a_poll_share_in_a_clause_that_names_the_leader_is_the_share_of_its_person() -> None:
    """In "Romney leads ... followed by Trump and Huckabee at 17 percent each" the
    clause's thing is the leader, the 17 percent is Huckabee's (and Trump's); "the 2012
    GOP primary field" names the race, it does not date the count."""
    report = story(POLL_ONE, POLL_TWO.format(trump="26", romney="21", tea="17"))
    assert sides(report) == [[("one", "17%"), ("two", "26%")]]


def test_a_share_of_a_subgroup_is_not_a_share_of_everyone() -> None:
    """Romney's 17 percent among Tea Party supporters neither conflicts with his 21
    percent of all primary voters nor keeps his changed overall share (32) from
    conflicting with it."""
    agreeing = story(POLL_ONE, POLL_TWO.format(trump="17", romney="21", tea="17"))
    assert sides(agreeing) == []
    changed = story(POLL_ONE, POLL_TWO.format(trump="17", romney="32", tea="17"))
    assert sides(changed) == [[("one", "21%"), ("two", "32%")]]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (  # a subgroup on one side only
            "Mitt Romney leads among women with 50 percent, the new poll shows.",
            "Mitt Romney has 45 percent in the new poll.",
        ),
        (  # two shares of one person that are of different things
            "President Barack Obama's approval rating is 45 percent in the new Gallup survey.",
            "President Barack Obama won 51 percent of the vote in Ohio, the new survey found.",
        ),
        (  # a year that dates the other count, not a race named by its year
            "A new national poll shows Mitt Romney at 21 percent in the 2012 GOP primary field.",
            "Mitt Romney won 30 percent in the 2008 primary in Iowa, the new national poll "
            "recalls.",
        ),
    ],
)
def test_shares_of_one_person_that_are_not_one_share_do_not_conflict(
    first: str, second: str
) -> None:
    assert sides(story(first, second, published="2011-10-05")) == []


def test_an_amount_hung_on_the_accusation_is_still_what_was_spent() -> None:
    """The amount in "was accused of spending $750,000 in campaign funds" parses as
    hanging on "accused"; the verb written before the amount and the kind of money it is ("in
    campaign funds") make it the amount "he spent ... in campaign cash"."""
    report = story(
        "Jesse Jackson Jr., who wrote a book on personal finance, was accused of spending "
        "$750,000 in campaign funds on personal items for himself and for his wife.",
        "Jackson pleaded guilty Wednesday in federal court to charges that he spent "
        "$1,125,000 in campaign cash on personal items.",
        published="2013-02-20",
    )
    assert sides(report) == [[("one", "750,000 USD"), ("two", "1,125,000 USD")]]


@pytest.mark.parametrize(
    "second",
    [
        "Jackson raised $1,125,000 in campaign funds last spring, filings show.",  # raised
        "Jackson spent $1,125,000 in Illinois on personal items, prosecutors said.",  # where
    ],
)
def test_amounts_of_one_kind_of_money_need_the_same_verb(second: str) -> None:
    report = story(
        "Jesse Jackson Jr. was accused of spending $750,000 in campaign funds on personal items.",
        second,
        published="2013-02-20",
    )
    assert sides(report) == []


def test_an_amount_given_by_a_copula_is_the_cost_of_its_of_complement() -> None:
    """A copula amount, "The cost of the ad campaign was $1 million", states what "the ad
    campaign is costing $4 million" does."""
    report = story(
        "The cost of the ad campaign was $1 million, the group said on Friday.",
        "The ad campaign is costing the group $4 million, officials said.",
        published="2012-09-28",
    )
    assert sides(report) == [[("one", "1,000,000 USD"), ("two", "4,000,000 USD")]]


@pytest.mark.parametrize(
    "first",
    [
        "The cost of the new stadium was $1 million, the group said on Friday.",
        "The cost was $1 million, the group said on Friday.",  # the cost of what?
    ],
)
def test_a_copula_amount_of_another_thing_or_of_nothing_said_is_apart(first: str) -> None:
    report = story(
        first,
        "The ad campaign is costing the group $4 million, officials said.",
        published="2012-09-28",
    )
    assert sides(report) == []


ELECTION = (
    "Gov. Deval Patrick appointed William Cowan to the seat. Cowan will serve until the "
    "June 25 special general election."
)


@pytest.mark.parametrize(
    "second",
    [
        # the thing's own words stand before a clause that only modifies it
        "Cowan said he should not run in the general election slated for June 28.",
        # the parse finds no thing: the noun the predicate modifies is it
        "Cowan will be a placeholder until a special election set for June 28.",
    ],
)
def test_dates_of_one_election_worded_two_ways_conflict(second: str) -> None:
    report = story(ELECTION, second, published="2013-01-30")
    assert days(report) == [[("one", "06-25"), ("two", "06-28")]]


def test_a_past_special_election_is_not_the_coming_one() -> None:
    """The phrase "his win in a special election in January 2010" names a special
    election too, but its date hangs on the win: it is not the June election's date
    (matched, it would put the article on two sides of the conflict and lose it)."""
    alone = story(
        ELECTION,
        "Mr. Brown has run three statewide races, starting with his win in a special "
        "election in January 2010 to finish Senator Edward M. Kennedy's term.",
        published="2013-01-30",
    )
    assert days(alone) == []
    both = story(
        ELECTION,
        "Cowan will be a placeholder until a special election set for June 28. Mr. Brown "
        "has run three statewide races, starting with his win in a special election in "
        "January 2010 to finish Senator Edward M. Kennedy's term.",
        published="2013-01-30",
    )
    assert days(both) == [[("one", "06-25"), ("two", "06-28")]]
