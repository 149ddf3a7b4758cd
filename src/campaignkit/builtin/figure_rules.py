"""Built-in plugin ``figure-rules``: a hand-in's figures against its `figures` deliverables.

A figure that is not of its type, out of range, a required one left out, a ``checks`` rule
that fails and a figure the requirement does not ask for are each a reason to reject the
hand-in, in the campaign's language (`campaignkit.figure_problems`). A bureau with rules
of its own disables this plugin (``--disable figure-rules``) and adds its own
``campaignkit_check_submission``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaignkit import Problem, Requirement, figure_problems, hookimpl

if TYPE_CHECKING:
    from campaignkit import Submission


@hookimpl
def campaignkit_check_submission(submission: Submission, requirement: Requirement) -> list[Problem]:
    if not submission.figures and not any(d.kind == "figures" for d in requirement.deliverables):
        return []  # the common case, for each of a rehearsal's thousands of hand-ins
    return figure_problems(requirement, submission.figures)
