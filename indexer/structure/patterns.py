"""Every regular expression the structural parser uses, in one place.

Indian drafting numbers provisions as sub-section "(1)", "(2A)"; clause "(a)", "(a-1)",
"(j-5)", "(aa)"; sub-clause "(i)", "(iv)"; item "(A)". Provisos open with "Provided that" and
Explanations with "Explanation 1.—". The patterns below only recognise shapes; deciding what a
shape means in context (is "(i)" a clause after "(h)" or a sub-clause?) is the parser's job.
"""

from __future__ import annotations

import re

# --- amendment markers (canonical form, see kb.model.MARKER_OPEN) -----------------------------

MARKER_KEY_RE = re.compile(
    r"""
    (?P<key>[0-9A-Za-z](?:[0-9A-Za-z-]*[0-9A-Za-z])?)   # footnote key after "^": "3", "12A", "p14-1"
    """,
    re.VERBOSE,
)

OMISSION_STARS_RE = re.compile(
    r"""
    [ \t]*                      # readers sometimes leave a space: "^1 * * *"
    \*(?:[ \t]*\*){2,}          # three or more stars, possibly spaced: "***", "* * * *"
    """,
    re.VERBOSE,
)

OMISSION_BRACKET_RE = re.compile(
    r"""
    \[                          # "^6[* * * * * *]": an omission printed inside brackets
    [\s.…]*\*[\s*.…]*           # nothing but stars, dots and spaces
    \]
    """,
    re.VERBOSE,
)

# A line that is only a list label, "(e)" or "(2A)": what an omission marker may follow.
OMITTED_LABEL_RE = re.compile(r"(?:^|\n)[ \t]*\(\s*[0-9A-Za-z-]{1,6}\s*\)$")

# --- provision labels ----------------------------------------------------------------------------

_LABEL_BODY = r"""
    (?P<label>
        \d{1,3}[A-Z]{0,3}(?:-\d{1,2}[A-Z]?|-[A-Z]\d{1,2})?  # sub-section: 1, 2A, 1B, 10, 3-1, 18-A1
      | [ivxl]{1,6}                                 # roman sub-clause: i, iv, xii (also letters i, v, x)
      | [a-z]{1,3}(?:\s?-\s?\d{1,2}[a-z]?)?         # clause: a, aa, a-1, j-5, c-1
      | [a-z]{1,2}\d{1,2}                            # clause numbered without a dash: a1 (MH MCA s.16(1)(a1))
      | (?P<triple>[a-z])(?P=triple){2}[a-z]          # after a tripled letter: hhha (RPA 1950 s.28(2))
      | (?:[ivxl]{1,6}|[a-z])-[a-z]{1,3}             # inserted after one: ii-a, iv-aaa, xliii-a (MH VPA s.176(2)), b-i
      | [ivxl]{1,6}-\d{1,2}[a-z]                     # ... numbered before the letters: xii-1a (MH VPA s.176(2))
      | [A-Z](?:-\d{1,2})?                          # item: A, B, A-1
    )
"""

LABEL_RE = re.compile(
    r"""
    \(\s*"""
    + _LABEL_BODY
    + r"""\s*\)                # the label in its brackets: "(j-1)"
    (?=[\s"“‘'—–\-]|$|[A-Z]                        # then a space, quote or capital ("(b)If he"), never "(1)," ...
      |\(\s*[0-9A-Za-z-]{1,6}\s*\)[\s"“])              # ... and "(2)(a)" only as "(2)(a) In the seats"
    """,
    re.VERBOSE,
)

# A label glued to its words or with a doubled bracket, as PDF text and typos leave it: "(x)under
# entry 44" (MH VPA s.176(2)), "(jj)) the maintenance" (DMC s.42). Read at a paragraph's start or
# after ";" or ".", and only where it continues a list (a weak start).
GLUED_LABEL_RE = re.compile(r"\(\s*" + _LABEL_BODY + r"\s*\)(?:\)[ \t]*|(?=[a-z]))", re.VERBOSE)

# A paragraph opening with a label that lost its opening bracket: "c) to uphold ...".
BARE_LABEL_RE = re.compile(r"(?P<label>[a-z]{1,3}|\d{1,3})\)[ \t]+(?=\S)")

NUMBER_LABEL_RE = re.compile(
    r"""
    ^(?P<num>\d{1,3})                  # the number of a sub-section
    (?P<suffix>[A-Z]{0,3}(?:-\d{1,2}[A-Z]?|-[A-Z]\d{1,2})?)$   # inserted: "A" in (2A), "-1" in (3-1), "-A1" in (18-A1)
    """,
    re.VERBOSE,
)

LETTER_LABEL_RE = re.compile(
    r"""
    ^(?P<letters>([a-z])\2\2(?=[a-z]$)  # a tripled letter with one after it: hhha (RPA 1950 s.28(2))
      |([a-z])\3{0,2}                  # one letter, or the same letter doubled: a, aa, bbb
      |(?![ivx]{2})[a-z]{2})           # or an inserted pair: ab, ha (MH MCA s.16), never a roman "iv"
    (?(2)(?P<app>[a-z]))               # the letter after the tripled one
    (?:-?(?P<sub>\d{1,2})(?P<subx>[a-z]?))?   # inserted clauses: a-1, j-5, j-5a, a1
    (?:-(?P<ins>[a-z]{1,3}))?$                  # ... or lettered: i-a after (i), b-i after (b)
    """,
    re.VERBOSE,
)

ROMAN_LABEL_RE = re.compile(
    r"""
    ^(?=[ivx])                         # not empty; "l" (50) is always the letter clause (l)
    (?P<tens>xl|x{0,3})                # tens: x, xx, xxx, xl (MH VPA s.176(2)(xl)-(xlvii))
    (?P<units>ix|iv|v?i{0,3})          # units: i ... ix
    (?:-(?P<ins>[a-z]{1,3}|\d{1,2}[a-z]))?$   # inserted after it: ii-a, iv-aa, xii-1a (MH VPA s.176(2))
    """,
    re.VERBOSE,
)

UPPER_LABEL_RE = re.compile(r"^[A-Z](?:-\d{1,2})?$")  # items "(A)", "(B)", "(A-1)"

# --- provisos and Explanations -------------------------------------------------------------------

PROVISO_RE = re.compile(
    r"""
    Provided                                    # every proviso opens with this word
    (?P<qualifier>(?:\s*,?\s*(?:further|also|always|however|lastly|further\s+also|also\s+further))*)
    \s*,?\s+that\b                              # "Provided that", "Provided further that,"
    """,
    re.VERBOSE,
)

EXPLANATION_RE = re.compile(
    r"""
    ["“]?                                       # a stray opening quote ('"Explanation.--For the purpose ...')
    (?P<word>Explanations?)                     # "Explanation", rarely "Explanations"
    (?:\s+(?P<number>\d{1,2}[A-Z]?|[IVX]{1,5})\b)?  # numbered: "1", "1A", "II"
    \s*"?                                       # some renderings print a stray quote: 'Explanation".--'
    (?P<punct>\.\s*[-—–]{1,3}|[:,]\s*[-—–]{1,3}|[-—–]{1,3}|\.|:)   # ".—", ".--", "—", ".", ":—"
    """,
    re.VERBOSE,
)

# Words that, ending the previous line, make a label at the start of the next line a
# cross-reference ("under sub-section\n(2) of section 39"), not a new provision.
XREF_BEFORE_RE = re.compile(
    r"""
    (?:\b(?:sub-?sections?|sections?|sub-?clauses?|clauses?|articles?|sub-?rules?|rules?
          |paragraphs?|items?|Explanation|proviso)   # a reference noun right before the label
     |\)\s+(?:and|or|to))                            # "clauses (a) and\n(b)"
    \s*$
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Where a provision may start in the middle of a line: after ":—", "—", ":-" or ":"
# ("(1) No person shall be a member—(a) if he ..."; "... concerned: Provided that ...").
STRONG_INLINE_RE = re.compile(
    r"""
    (?:[:;,.]?\s*[—–]+        # an em/en dash, maybe after a colon: "—", ":—", ",—"
      |:\s*-+                 # ASCII renderings ":-", ": --"
      |\.-{2}                  # a heading's ".--" left in the text ("... for a valid nomination.--(1)")
      |:)                     # a plain colon ("...concerned: Provided that")
    [ \t]*\]?[ \t]*           # an amendment's closing bracket left by the source (":] Provided")
    (?=\(|Provided\b|Explanation\b)   # something that may open a provision follows
    """,
    re.VERBOSE,
)

# Weaker: a label after ";" or "." ("(e) ... of a Panchayat; (f) “population” means ...", "...
# census; and (ii) the division ..."). The parser accepts these only when the label continues a
# sequence it already has.
WEAK_INLINE_RE = re.compile(
    r"""
    [;.]                      # end of the previous clause or sentence
    [ \t]*(?:(?:and|or)[ \t]+)?  # the "and" or "or" that ends the clause before the last
    (?=\()                    # a bracket that may open a label
    """,
    re.VERBOSE,
)

# Endings of a lead-in that introduces a list ("... certifying that,—"): the "(i)" after a
# clause "(h)" ending like this is that clause's first sub-clause, not clause (i).
INTRODUCER_END_RE = re.compile(r"(?:[—–]|:-+|-{2,}:?|namely\s*:?)\s*$")

# A heading that groups the items of a list, on a line of its own: "A. Bye-laws relating to
# taxation" (DMC s.481(1)), "1. AGRICULTURE AND AGRICULTURAL EXTENSION:" (MN PRA s.61(2)). The
# items under each heading number again from (1) or (i).
GROUP_HEADING_RE = re.compile(r"(?P<label>[A-Z]|\d{1,2})\.\s+(?P<title>[A-Z][^;\n]{1,110}?)\s*[:.]?\s*")

# A table's column numbers on a line of their own ("(1) (2)" under "TABLE Class of Municipal
# Area Number of Elected Councillors", MH MCA s.9(2)(a)): not provisions.
TABLE_COLUMNS_RE = re.compile(r"\s*(?:\(\d{1,2}\)\s*){2,}")

# Words in a proviso or Explanation naming what it qualifies: "disqualified under this clause".
SCOPE_RE = re.compile(
    r"""
    \bthis\s+
    (?P<unit>sub-?section|sub-?clause|clause|sub-?rule|rule|section|article|item)\b
    """,
    re.VERBOSE | re.IGNORECASE,
)

# --- footnotes -----------------------------------------------------------------------------------

ACTION_WORDS_RE = re.compile(
    r"""
    (?P<omitted>\bomitted\b|\bomit\b|\bdeleted\b|\brep\.|\brepealed\b)
  | (?P<substituted>\bSubs\.|\bsubstitut\w*)
  | (?P<inserted>\bIns\.|\binserted\b|\badded\b|\bAdded\b)
  | (?P<renumbered>\bre-?numbered\b)
  | (?P<amended>\bamended\b|\bmodified\b|\badapted\b)
    """,
    re.VERBOSE | re.IGNORECASE,
)

QUOTED_RE = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")  # quoted old words inside a footnote

BY_RE = re.compile(r"\bby\s+(?P<by>\S.*)$", re.DOTALL)  # "... by Mah. 21 of 1994, s. 10."

FOR_CUT_RE = re.compile(r",?\s+for\s+")  # "..., s. 4, for “twenty-one years”": the old words, not the authority

WEF_RE = re.compile(r"\(\s*w\.\s*e\.\s*f\.?[^)]*\)", re.IGNORECASE)
