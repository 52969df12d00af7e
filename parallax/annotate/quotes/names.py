"""What a name or a title says about the person: gender for *he* and *she*, and roles.

Pronoun resolution follows *she* back to the last person in view; without gender, *she*
after "Ivanka Trump ... Jason Miller said" lands on Jason Miller. The evidence is only
what the article itself shows: a title (*Mr.*, *Mrs.*, *Sen.*), a gendered role word
beside the name (*spokeswoman*, *his wife*), or a common given name. A person none of
these speak for has no gender, and every pronoun may mean them, as before.
"""

from __future__ import annotations

from collections.abc import Mapping

FEMALE = "f"
MALE = "m"

PRONOUN_GENDER: Mapping[str, str] = {"he": MALE, "him": MALE, "she": FEMALE, "her": FEMALE}

TITLE_GENDER: Mapping[str, str] = {
    "mr": MALE,
    "mr.": MALE,
    "sir": MALE,
    "mrs": FEMALE,
    "mrs.": FEMALE,
    "ms": FEMALE,
    "ms.": FEMALE,
    "miss": FEMALE,
    "madam": FEMALE,
    "lady": FEMALE,
}
"""Titles before a name that give its gender."""

ROLE_GENDER: Mapping[str, str] = {
    **{
        word: FEMALE
        for word in (
            "spokeswoman congresswoman chairwoman businesswoman councilwoman "
            "assemblywoman wife mother daughter sister grandmother aunt niece widow queen "
            "princess actress duchess"
        ).split()
    },
    **{
        word: MALE
        for word in (
            "spokesman congressman chairman businessman councilman assemblyman husband "
            "father son brother grandfather uncle nephew widower king prince duke"
        ).split()
    },
}
"""Role words in apposition or before a name that give its gender (*his wife, Laura*)."""

_FEMALE_NAMES = (
    "abigail alexandra alice alicia alison allison amanda amber amy ana andrea angela "
    "angelique ann anna anne annie april ashley audrey barbara betsy betty beverly "
    "brenda brittany camila carla carly carmen carol caroline carolyn catherine cathy "
    "cecilia charlotte chelsea cheryl christina christine cindy claire claudia colleen "
    "connie courtney crystal cynthia danielle deborah debbie debra delcy denise "
    "diana diane dianne donna doris dorothy edith eileen elaine eleanor elena elisabeth "
    "elizabeth ellen emily emma erica erin eva evelyn fatima frances gabriela gail "
    "gennifer gina gloria grace gretchen hannah heather heidi helen hillary holly "
    "huma ivana ivanka jacqueline jane janet janice jasmine jean jeanne jennifer "
    "jessica jill joan joanne jodi josefina joyce juanita judith judy julia julie "
    "karen kate katherine kathleen kathryn kathy katie kayleigh kellyanne "
    "kimberly kirsten kristen laura lauren leah linda lisa loretta lori louise lucy "
    "lydia madeleine madeline margaret maria marian marianne marie marilyn "
    "marina marsha martha mary maxine megan megyn melania melanie melissa michelle "
    "mildred minyon miriam monica nancy natalie natasha nicole nikki nina nora norma "
    "olivia pamela patricia patti paula pauline peggy penny phyllis priscilla rachel "
    "rebecca regina rita roberta rosa rosalind rose ruth sabrina sally samantha sandra "
    "sara sarah sharon sheila shirley sonia sonya sophia stacey stephanie susan "
    "suzanne sylvia tamara tammy tanya tara teresa theresa tiffany tina valerie "
    "vanessa victoria virginia wanda wendy yolanda yvonne zoe"
)
_MALE_NAMES = (
    "aaron adam adrian alan albert alberto alex alexander alfred andre andrew "
    "angel anthony antonin antonio arthur barack ben benjamin bernard bernie bill billy "
    "bob bobby brad bradley brandon brian bruce bryan carl carlos charles charlie chris "
    "christopher chuck clarence craig dale dan daniel danny darrell dave david dean "
    "dennis derek diego dick don donald doug douglas dwight earl ed eddie edward "
    "emmanuel eric ernest eugene evan francis francisco frank fred frederick gary "
    "gavin gene george gerald gordon greg gregory harold harry henry howard hugh ian "
    "isaac jack jacob jake james jared jason javier jay jeb jeff jeffrey jeremy "
    "jerome jerry jesse jim jimmy joe joel john johnny jon jonathan jorge jose joseph "
    "josh joshua juan justin keith ken kenneth kevin kurt lance larry lawrence "
    "leon leonard lloyd louis luis luke marc marco mario mark martin matt "
    "matthew maurice max michael miguel mike mitch mitt nathan neil newt nicholas "
    "nick nicolas nicolás norman oliver orrin oscar pablo patrick paul pedro peter "
    "phil philip pierre ralph ramon randy ray raymond reince rex ricardo richard rick "
    "rob robert roberto rod roger ron ronald roy rudy russell ryan sam samuel "
    "scott sean sergio seth shawn sherrod stephen steve steven stuart ted terry "
    "thomas tim timothy todd tom tommy tony travis trey troy tyler victor vincent "
    "vladimir walter wayne wesley william willie xi yusuf zachary"
)
GIVEN_NAMES: Mapping[str, str] = {
    **{name: FEMALE for name in _FEMALE_NAMES.split()},
    **{name: MALE for name in _MALE_NAMES.split()},
}
"""Common given names whose bearers in news are nearly always of one gender (names
often given to both, such as *Jordan* or *Casey*, are left out)."""

ROLE_TITLES: Mapping[str, str] = {
    "sen.": "senator",
    "sen": "senator",
    "rep.": "representative",
    "rep": "representative",
    "gov.": "governor",
    "gov": "governor",
    "gen.": "general",
    "lt.": "lieutenant",
    "pres.": "president",
    "sec.": "secretary",
    "atty.": "attorney",
    "dr.": "doctor",
    "congressman": "representative",
    "congresswoman": "representative",
    "lawmaker": "representative",
}
"""Abbreviated or varying titles, as the role noun a later *the senator* uses."""

LESSER_TITLES = frozenset("vice deputy assistant former ex- acting".split())
"""Words before a title that make it another role (*Vice President Biden* is not the
one *the president* means)."""
