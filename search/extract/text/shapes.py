"""Shapes of boilerplate lines: promos, captions and credits, link labels, share rows.

Every rule is a shape that holds across outlets (a sentence glued to a credit,
a short imperative line with subscription words, a "Label:" link), never the
wording of one page. Each returns a short reason, or None for an ordinary line.
"""

from __future__ import annotations

import re

from .lines import Line
from .stopwords import STOPWORDS, word_set

# Words of subscription, app and browser promos. They only condemn a line
# together with a promo *shape* below: a narrative sentence may mention them.
_PROMO_WORDS = re.compile(
    r"\b(?:newsletters?|subscri(?:be|bed|bers?|ptions?)|sign(?:ing)?[ -]?(?:up|in)|log[ -]?in"
    r"|register|alerts?|e-?mails?|inbox|download|apps?|browsers?|podcasts?|notifications?"
    r"|membership|premium|ad-?free|unlimited|advertisement|advertising|sponsored|cookies?"
    r"|javascript|privacy|terms of (?:use|service)|follow|affiliate|supported)\b"
)
# First words of calls to action.
_IMPERATIVES = word_set(
    """get sign subscribe join follow download click tap visit register enter read watch
    listen try upgrade enable please stay like share learn discover find support become
    give update switch install receive create log start continue see check explore shop
    buy claim unlock save don't never"""
)
# Reporting verbs: a line that reports speech is a news sentence, not a promo.
_NARRATIVE = re.compile(r"\b(?:said|says|told|according|reported|announced|added)\b")
# The reader addressed directly, the voice of promos ("our site", "your inbox").
_READER = re.compile(r"\b(?:you|your|our|us)\b")
# Promo lines are short: the longest seen on news pages run to ~35 words. Longer
# lines with promo words are prose about subscriptions or apps.
PROMO_MAX_WORDS = 40
# A line this short with a promo word and no sentence ending is a label or a
# button ("Breaking News Emails", "Sign in"), whatever its first word.
PROMO_SHORT_WORDS = 8

# Words that mark a photo credit or caption label. These name the *kind* of
# credit (photo, file, via an agency), not any agency or outlet.
_CREDIT_WORDS = re.compile(
    r"\b(?:photos?|photographs?|photographer|images?|file|via|courtesy|handout|pool|video"
    r"|illustration|graphic|credit|archive|staff)\b",
    re.IGNORECASE,
)
# An all-capital 2-5 letter token: the shape of a wire-agency acronym.
_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
# A sentence end glued to a capitalised tail: "...in 2014.AFP - Images" is a
# caption whose credit lost its separator when the page was flattened.
# Credits are a few words; 60 characters covers "Agency Photo/First Last, File".
_GLUED_TAIL = re.compile(r"[a-z0-9)\]\"'’”][.!?]([A-Z].{0,60})$")
# Credits run to at most this many words ("Name Name / Agency via Agency file").
CREDIT_MAX_WORDS = 8
# A glued tail of only capitalised words is a credit up to this length
# ("Name Surname/Agency"); a glued next sentence has lower-case words.
CREDIT_NAME_WORDS = 4
# A caption ending in a spelled-out credit: "... earnings. Photograph by
# Name/Agency", "... on Monday. Photo: Name".
_TRAILING_CREDIT = re.compile(
    r"[.!?]['\"’”]?\s+(?i:photo(?:graph)?s?|images?|pictures?|credit)\s*(?:by\b|:)\s*[A-Z][^.!?]{0,60}$"
)
# A credit label glued to the caption: "...a large rodentCredit: Agency".
_GLUED_CREDIT_LABEL = re.compile(r"[a-z)](?:Credits?|Photo|Image|Picture|Source)s?:")
# "Image: ...", "Photo | ...", "Caption - ..."
_CAPTION_LABEL = re.compile(
    r"^(?:image|photo|photograph|picture|pictured|caption|credit|illustration|video|gallery"
    r"|graphic|file photo)s?\s*(?::|\||[-–—]\s)"
)
# A caption ending in its bracketed credit: "... on Monday. (AP Photo/Name)".
_BRACKET_CREDIT = re.compile(
    r"\([^()]{0,80}\b(?:photo|image|file|courtesy|credit|via)\b[^()]{0,80}\)\W*$"
)
# A credit on its own line: "Photo: Name", "Courtesy of ...", "... Images",
# "Agency Photo/Name", "Name Name/Agency". Only credit *positions* (first or
# last word, around a slash) count, so a headline mentioning a video stays.
_CREDIT_LINE = re.compile(
    r"^(?i:photo|image|picture|credit|courtesy|source)s?\b"
    r"|\b(?i:images|photos?|file|handout|pool)$"
    r"|^[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3} ?/ ?[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}$"
)
# Captions are a sentence or two; longer lines ending in brackets are prose.
CAPTION_MAX_WORDS = 80

# "Related: ...", "Read more »", "See also -", "Watch: ..." link labels.
_LINK_LABEL = re.compile(
    r"^(?:related|read more|read also|also read|see also|more|more from|more on|recommended"
    r"|further reading|watch|listen|click here|editor'?s picks?|trending|popular|most read"
    r"|you may also like|top stories|latest|read next|up next|next|previous|prev|also"
    r"|more coverage|full coverage|read the full story|must read)"
    r"(?: (?:stories|story|articles?|news|coverage|content|links|videos?|reading|posts?))?"
    r"\s*(?::|»|>|\||[-–—]\s|$)"
)
# Where a headline runs into the next text with no space: a lower-case
# word end (or its ?!'") straight into a capitalised word.
_TEASER_GLUE = re.compile(r"(?:(?<=[a-z]{2})|(?<=[a-z][?!’'”]))(?=[A-Z][a-z])")
_TITLE_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# The glue must come where a headline ends: within its first 150 characters,
# after at least three words, in Title Case (small words may stay lower-case).
TEASER_HEAD_CHARS = 150
TEASER_MIN_HEADLINE_WORDS = 3
TITLE_WORD_CHARS = 4
_ENGLISH = STOPWORDS["en"]
# A teaser is a headline plus a blurb of a few words at least.
TEASER_MIN_WORDS = 6
TEASER_MIN_BLURB_WORDS = 3
# The heading of a box of links to other stories: "Related articles", "Most
# read in world news", "More from the Times", "You may also like".
_SECTION_LABEL = re.compile(
    r"^(?:related|more|most (?:read|popular|viewed|shared|watched|commented)"
    r"|read (?:more|next|also)|see also|also (?:read|see|on)"
    r"|you (?:may|might) (?:also )?(?:like|enjoy)|recommended"
    r"|trending|popular|top (?:stories|news|videos)|latest|editor'?s (?:picks?|choice)"
    r"|don'?t miss|further reading|other stories|in other news|elsewhere|what to read next"
    r"|(?:\w+ )?(?:stories|articles|posts|news) you (?:may|might))\b"
)
# Such headings are a few words.
SECTION_LABEL_MAX_WORDS = 8
# A short line ending in a pointing arrow is a link ("Next article ›").
_ARROW_END = re.compile(r"[»›→>]\s*$")
LINK_MAX_WORDS = 12

# © or "(c) 2024" or "All rights reserved", or a line opening "Copyright 2024".
_COPYRIGHT = re.compile(
    r"©|\(c\)\s*\d{4}|\ball rights reserved\b|^copyright\b|\bcopyright\s*(?:\(c\)|\d{4})"
)
# Copyright notices are short; the longest legal footers run to ~30 words.
COPYRIGHT_MAX_WORDS = 40

# Share and follow rows: social networks and the page's own action buttons.
_SOCIAL = re.compile(
    r"\b(?:facebook|twitter|linkedin|whatsapp|pinterest|reddit|instagram|youtube|telegram"
    r"|tumblr|flipboard|messenger|e-?mail|print|share|tweet|comments?|copy link"
    r"|pocket|rss)\b"
)
# A share counter: "Shares", "1.2k shares" (not "..., shares plunge").
_SHARE_COUNT = re.compile(r"^[\d.,k ]*shares?$")
# Share rows are a handful of button labels.
SHARE_MAX_WORDS = 8
# ... and mostly labels: at least half of the words that are not filler must be
# network or action names. A headline that names one network ("Facebook fined
# over privacy", "Readers comment on the flood") is not a row of buttons.
SHARE_LABEL_SHARE = 0.5
_SHARE_FILLER = frozenset(
    "on via us with this the a an to article story page link it and or".split()  # noqa: SIM905
)

# Two link texts run together when flattened: a lower-case run straight into a
# capitalised word ("newsLive", "SubscribeSign").
_GLUED_WORDS = re.compile(r"[a-z]{2}[A-Z][a-z]")
# Only short lines: in prose the same shape is a brand name ("PlayStation").
GLUED_MAX_WORDS = 6


def _credit_tail(tail: str) -> bool:
    words = tail.split()
    if len(words) > CREDIT_MAX_WORDS:
        return False
    if _CREDIT_WORDS.search(tail) or _ACRONYM.search(tail):
        return True
    # "...isn't easy.Name Surname/Agency", "...in New York.Agency": a few
    # capitalised words and nothing else, where a sentence would go on.
    return len(words) <= CREDIT_NAME_WORDS and all(w[:1].isupper() or w in "/-|" for w in words)


def is_promo(line: Line) -> bool:
    if line.nwords > PROMO_MAX_WORDS or not _PROMO_WORDS.search(line.lower):
        return False
    if _NARRATIVE.search(line.lower):
        return False
    if line.words and line.words[0] in _IMPERATIVES:
        return True
    if _READER.search(line.lower):
        return True
    return line.nwords <= PROMO_SHORT_WORDS and not line.terminal


def is_caption(line: Line) -> bool:
    if _CAPTION_LABEL.match(line.lower):
        return True
    if line.nwords > CAPTION_MAX_WORDS:
        return False
    glued = _GLUED_TAIL.search(line.text)
    if glued and _credit_tail(glued.group(1)):
        return True
    if _GLUED_CREDIT_LABEL.search(line.text) or _TRAILING_CREDIT.search(line.text):
        return True
    if _BRACKET_CREDIT.search(line.lower):
        return True
    # A credit alone on its line: short, no sentence, credit-shaped.
    return (
        line.nwords <= CREDIT_MAX_WORDS
        and not line.terminal
        and bool(_CREDIT_LINE.search(line.text))
    )


def is_link_label(line: Line) -> bool:
    if _LINK_LABEL.match(line.lower):
        return True
    return line.nwords <= LINK_MAX_WORDS and bool(_ARROW_END.search(line.text))


def is_teaser(line: Line) -> bool:
    """A linked headline run into its blurb: "Tape Gaffe Ends Title RunDenny Hamlin's..."."""
    if line.nwords < TEASER_MIN_WORDS:
        return False
    glue = _TEASER_GLUE.search(line.text, 0, TEASER_HEAD_CHARS)
    if not glue:
        return False
    head, blurb = line.text[: glue.start()], line.text[glue.start() :]
    if head.count("(") != head.count(")") or len(blurb.split()) < TEASER_MIN_BLURB_WORDS:
        return False  # a handle or brand in brackets, or a brand name at the end
    words = _TITLE_WORD.findall(head)
    content = [w for w in words if len(w) >= TITLE_WORD_CHARS and w.lower() not in _ENGLISH]
    # Title Case: every content word capitalised ("Deals In Detroit"); prose
    # has lower-case ones ("Fans lined up to buy the new PlayStation").
    return (
        len(words) >= TEASER_MIN_HEADLINE_WORDS
        and len(content) >= 2
        and all(w[0].isupper() for w in content)
    )


def is_section_label(line: Line) -> bool:
    """The heading of a related-stories box (its headlines follow it)."""
    return (
        line.nwords <= SECTION_LABEL_MAX_WORDS
        and (not line.terminal or line.text.endswith(":"))
        and bool(_SECTION_LABEL.match(line.lower))
    )


def is_copyright(line: Line) -> bool:
    return line.nwords <= COPYRIGHT_MAX_WORDS and bool(_COPYRIGHT.search(line.lower))


def is_share_row(line: Line) -> bool:
    if line.nwords > SHARE_MAX_WORDS or line.terminal:
        return False
    labels = len(_SOCIAL.findall(line.lower))
    words = [w for w in re.findall(r"\w+", line.lower) if w not in _SHARE_FILLER]
    return labels > 0 and labels >= SHARE_LABEL_SHARE * len(words)


def is_glued_links(line: Line) -> bool:
    return (
        line.nwords <= GLUED_MAX_WORDS
        and not line.terminal
        and bool(_GLUED_WORDS.search(line.text))
    )


# The label an ad slot leaves in the text, in the benchmark's languages and
# a few more: it sits between paragraphs, inside the article.
_AD_LABEL = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|ad|anzeige|werbung|publicidad"
    r"|publicidade|publicité|pubblicità|reklama|реклама|iklan)\W*$"
)


def is_ad_label(line: Line) -> bool:
    return line.nwords <= 2 and bool(_AD_LABEL.match(line.lower))


# Checked in this order; the first match names the reason.
_SHAPES = (
    ("ad", is_ad_label),
    ("caption", is_caption),
    ("promo", is_promo),
    ("link", is_link_label),
    ("section", is_section_label),
    ("teaser", is_teaser),
    ("copyright", is_copyright),
    ("share", is_share_row),
    ("glued links", is_glued_links),
)


def boilerplate_shape(line: Line) -> str | None:
    """The kind of boilerplate ``line`` looks like, or None."""
    for reason, test in _SHAPES:
        if test(line):
            return reason
    return None
