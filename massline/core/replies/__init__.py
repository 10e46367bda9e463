"""Reply quality (答復質量): how well an official reply answers the message it replies to.

Every reply is scored on five criteria, each in [0, 1] and each with the evidence that justified it
(the phrases or clauses a supervisor can check):

- **relevance**: TF-IDF cosine over character bigrams between the message and the *substance* of
  the reply (the reply minus its template clauses), rescaled by the corpus' own spread of cosines,
  with a bonus when the reply names the message's places (districts, compounds, roads, schools).
- **completeness**: the message's concrete demands are extracted (the title, and sentences with
  请/要求/希望/建议/能否/何时/为什么/是否/？ ...). A demand counts as addressed when the
  IDF-weighted share of its character bigrams found in the reply's substance reaches
  ``demand_hit`` (half credit from ``demand_partial``); a why/when/whether/how question answered
  in other words earns credit too. The score is the mean over demands.
- **explanation**: reasons or findings (经查, 由于, 目前 ...), a policy basis (《...》 other than the
  platform's own name, 根据/依据/按照 ...规定, article and document numbers), next steps (下一步,
  将于, 限期, 责令, 预计 ..., or actions already taken: 已责令, 已拆除 ...) and a contact (a phone
  number, 联系电话, a window or office to go to). ``0.5 * grounds + 0.5 * min(1, basis + next step +
  contact)``, where grounds is 1 for reasons or a basis in a reply of 40+ substantive characters,
  0.5 for either in a shorter one or for 60+ characters without markers. A reply that belongs to
  another message can still explain well: relevance is what catches it.
- **timeliness**: working days from message to reply against the 7-day (general) and 15-day
  (complex) standards: 1 up to 7 days, falling linearly to 0.5 at 15, and to 0 at 45.
- **courtesy**: a greeting or thanks earns half; the other half measures how much of the reply is
  substance rather than template. Template clauses are the clauses that recur across the corpus
  (learned in :meth:`ReplyScorer.fit`) plus a few built-in patterns (已收悉, 现回复如下 ...). A reply
  that is template only (no substance at all) scores 0 whatever its manners.

The overall score is the weighted mean of the criteria that could be computed (timeliness needs
both times); the weights are a parameter. A reply with no substance at all (acknowledgement or
forwarding only) scores 0 overall. ``ReplyScore.grade`` maps the overall score onto 1–5.

Modules: ``text`` (clauses, demands, places and the phrase patterns), ``workdays`` (dates and
working days), ``results`` (ReplyScore), ``scorer`` (ReplyScorer). The rubric is
docs/reply-quality-rubric.md; agreement with hand labels is in docs/reply-quality.md.
"""

from massline.core.replies.results import CRITERIA, DEFAULT_WEIGHTS, CriterionScore, ReplyScore
from massline.core.replies.scorer import ReplyScorer, length_baseline
from massline.core.replies.text import (
    char_ngrams,
    extract_demands,
    extract_places,
    split_clauses,
    split_sentences,
)
from massline.core.replies.workdays import GOLDEN_WEEKS, parse_time, working_days_between

__all__ = [
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "GOLDEN_WEEKS",
    "CriterionScore",
    "ReplyScore",
    "ReplyScorer",
    "char_ngrams",
    "extract_demands",
    "extract_places",
    "length_baseline",
    "parse_time",
    "split_clauses",
    "split_sentences",
    "working_days_between",
]
