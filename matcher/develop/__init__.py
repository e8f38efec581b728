"""Development programmes: mentoring circles and upgrade plans that unlock orders."""

from matcher.develop.checks import check_mentoring_options
from matcher.develop.costs import CostTable, load_costs
from matcher.develop.interventions import Intervention, apply_interventions
from matcher.develop.mentoring import Circle, MentoringResult, Pairing, Unpaired, Weights, mentoring
from matcher.develop.plan import OrderPlan, PortfolioItem, UpgradePlan, upgrade_plan

__all__ = [
    "Circle",
    "CostTable",
    "Intervention",
    "MentoringResult",
    "OrderPlan",
    "Pairing",
    "PortfolioItem",
    "Unpaired",
    "UpgradePlan",
    "Weights",
    "apply_interventions",
    "check_mentoring_options",
    "load_costs",
    "mentoring",
    "upgrade_plan",
]
