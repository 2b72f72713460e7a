"""Headings and number formats of the run folders' columns, in Chinese and English.

The CSV files keep their snake_case names (a contract with scripts); a workbook shows these headings.
A column not listed here is shown by its own name (or, for indicator columns of a frontier or of risk
draws, by the indicator's name).
"""

from __future__ import annotations

from collections.abc import Mapping

from . import sheet

M, P, P2, S, C, Y, I4, D, T = (
    sheet.MONEY,
    sheet.PERCENT,
    sheet.PERCENT2,
    sheet.SCORE,
    sheet.COUNT,
    sheet.YEAR,
    sheet.INDEX,
    sheet.DECIMAL,
    sheet.TINY,
)

# column -> (Chinese, English, number format)
COLUMNS: Mapping[str, tuple[str, str, str | None]] = {
    "unit": ("单位代码", "Unit id", None),
    "unit_name": ("单位", "Unit", None),
    "initiative": ("举措代码", "Initiative id", None),
    "initiative_name": ("举措（项目）", "Initiative", None),
    "indicator": ("指标代码", "Indicator id", None),
    "name": ("名称", "Name", None),
    "year": ("年度", "Year", Y),
    "pool": ("资金池", "Pool", None),
    "source": ("资金来源", "Source", None),
    "amount": ("金额（万元）", "Amount (万元)", M),
    "available": ("可用（万元）", "Available (万元)", M),
    "allocated": ("已分配（万元）", "Allocated (万元)", M),
    "unused": ("未使用（万元）", "Unused (万元)", M),
    "value": ("数值", "Value", D),
    "target": ("目标值", "Target", D),
    "milestone": ("阶段目标", "Milestone", D),
    "shortfall": ("差额", "Shortfall", D),
    "unit_label": ("计量单位", "Unit of measure", None),
    "kind": ("类型", "Kind", None),
    "target_year": ("目标年份", "Target year", Y),
    "met": ("是否达成", "Met", None),
    "missing": ("是否缺项", "Missing", None),
    "dimension": ("维度", "Dimension", None),
    "output": ("当年产出", "Output in the year", D),
    "constraint": ("约束", "Constraint", None),
    "family": ("类别", "Family", None),
    "fund": ("资金", "Fund", None),
    "rhs": ("约束值", "Limit", D),
    "slack": ("松弛", "Slack", D),
    "dual_stage1": ("对偶值（第一阶段）", "Dual, stage 1", T),
    "dual_stage2": ("对偶值（第二阶段）", "Dual, stage 2", T),
    "fd_up_stage1": ("增加时变化（第一阶段）", "Change up, stage 1", T),
    "fd_up_stage2": ("增加时变化（第二阶段）", "Change up, stage 2", T),
    "fd_down_stage1": ("减少时变化（第一阶段）", "Change down, stage 1", T),
    "fd_down_stage2": ("减少时变化（第二阶段）", "Change down, stage 2", T),
    "value_stage1": ("边际价值（第一阶段）", "Marginal value, stage 1", T),
    "value_stage2": ("边际价值（第二阶段）", "Marginal value, stage 2", T),
    "method": ("方法", "Method", None),
    "spent_on": ("用于", "Spent on", None),
    "words": ("说明", "In words", None),
    # score
    "spending": ("支出（万元）", "Spending (万元)", M),
    "completion": ("完成度", "Completion", P),
    "output_index": ("产出指数", "Output index", S),
    "cost_efficiency": ("成本效率", "Cost efficiency", S),
    "cost_efficiency_score": ("成本效率得分", "Cost-efficiency score", P),
    "dea_efficiency": ("DEA效率", "DEA efficiency", S),
    "composite": ("综合得分", "Composite", S),
    "rank": ("名次", "Rank", C),
    "grade": ("等级", "Grade", None),
    "award": ("奖励（万元）", "Award (万元)", M),
    "award_fen": ("奖励（分）", "Award (fen)", C),
    "size": ("规模因素", "Size factor", D),
    "recommended": ("按因素测算（万元）", "Recommended (万元)", M),
    "prior": ("上年绩效资金（万元）", "Last year's (万元)", M),
    "amount_fen": ("金额（分）", "Amount (fen)", C),
    "status": ("状态", "Status", None),
    "track": ("考核类别", "Track", None),
    "held_to": ("考核口径", "Held to", None),
    "unit_cost_score": ("单位成本得分率", "Unit-cost score", P),
    "timeliness": ("按期完成率", "Timeliness", P),
    "planned": ("预算（万元）", "Planned (万元)", M),
    "points_completion": ("产出完成得分", "Points: completion", D),
    "points_execution": ("预算执行得分", "Points: execution", D),
    "points_unit_cost": ("单位成本得分", "Points: unit cost", D),
    "points_timeliness": ("按期完成得分", "Points: timeliness", D),
    "points_dea": ("DEA得分", "Points: DEA", D),
    "points_landmark": ("标志性成果加分", "Points: landmark", D),
    "part": ("考核项", "Part", None),
    "weight": ("权重", "Weight", "0.0"),
    "max_points": ("满分", "Out of", D),
    "score": ("得分率", "Score", P),
    "unit_cost": ("单位成本（万元）", "Unit cost (万元)", M),
    "standard": ("开支标准（万元）", "Standard (万元)", M),
    "ratio": ("与标准之比", "Ratio to standard", "0.00"),
    "counted": ("计分", "Counted", None),
    "points": ("得分（百分制）", "Points (of 100)", D),
    "rating": ("评价等次", "Rating", None),
    "execution_rate": ("预算执行率", "Execution rate", P),
    "merit": ("超出门槛部分", "Merit", S),
    "limited_by": ("受限于", "Limited by", None),
    "model": ("模型", "Model", None),
    "orientation": ("导向", "Orientation", None),
    "efficiency": ("效率", "Efficiency", S),
    "phi": ("产出扩张倍数", "Output expansion (phi)", S),
    "peers": ("标杆单位", "Peers", None),
    "rts": ("规模报酬", "Returns to scale", None),
    "super_efficiency": ("超效率", "Super-efficiency", S),
    "super_phi": ("超效率扩张倍数", "Super phi", S),
    "super_status": ("超效率状态", "Super-efficiency status", None),
    "explanation": ("解释", "Explanation", None),
    "floor_share": ("保留比例", "Floor share", P),
    "stock_basis": ("存量基数（万元）", "Stock basis (万元)", M),
    "floor_amount": ("底线（万元）", "Floor (万元)", M),
    "may_reclaim": ("可收回（万元）", "May reclaim (万元)", M),
    "from_year": ("起始年", "From", Y),
    "to_year": ("结束年", "To", Y),
    "malmquist": ("Malmquist指数", "Malmquist", S),
    "efficiency_change": ("效率变化", "Efficiency change", S),
    "technical_change": ("技术变化", "Technical change", S),
    # reclaim.csv
    "base": ("基数（万元）", "Base (万元)", M),
    "actual": ("实际支出（万元）", "Actual (万元)", M),
    "previous": ("上年金额（万元）", "Year before (万元)", M),
    "reclaimed": ("调减（万元）", "Reclaimed (万元)", M),
    "rule": ("规则", "Rule", None),
    "reason": ("原因", "Reason", None),
    # goals.csv
    "goal": ("目标代码", "Goal id", None),
    "priority": ("优先级", "Priority", "0"),
    "sense": ("方向", "Sense", None),
    "achieved": ("达成值", "Achieved", D),
    "under": ("不足", "Short by", D),
    "over": ("超出", "Over by", D),
    # sweep, clear, compare, risk
    "level": ("水平", "Level", I4),
    "budget": ("预算（万元）", "Budget (万元)", M),
    "stage1_shortfall": ("第一阶段差额", "Stage 1 shortfall", I4),
    "stage2_progress": ("第二阶段加权进展", "Stage 2 progress", I4),
    "missing_cleared": ("已清零缺项", "Missing cleared", C),
    "targets_met": ("达成目标数", "Targets met", C),
    "integers": ("整数决策", "Integers", None),
    "seconds": ("耗时（秒）", "Seconds", "0.00"),
    "requirement": ("要求", "Requirement", D),
    "base_value": ("原方案数值", "Value without extra", D),
    "extra": ("追加（万元）", "Extra (万元)", M),
    "extra_total": ("追加总额（万元）", "Extra total (万元)", M),
    "k": ("至少清零个数", "At least k cleared", C),
    "cleared": ("该方案清零的指标", "Cleared by the plan", None),
    "section": ("部分", "Section", None),
    "key": ("项目", "Item", None),
    "a": ("方案A", "A", D),
    "b": ("方案B", "B", D),
    "delta": ("变动（B−A）", "Change (B − A)", D),
    "met_a": ("A达成", "Met in A", None),
    "met_b": ("B达成", "Met in B", None),
    "status_changed": ("状态改变", "Status changed", None),
    "plan_value": ("方案值", "Plan value", D),
    "probability": ("达成概率", "Probability", P),
    "clear_probability": ("清零概率", "Clear probability", P),
    "std_error": ("标准误", "Std. error", P2),
    "mean": ("均值", "Mean", D),
    "p05": ("5%分位", "5%", D),
    "p50": ("中位数", "Median", D),
    "p95": ("95%分位", "95%", D),
    "draw": ("模拟序号", "Draw", C),
}

SHEETS: Mapping[str, tuple[str, str]] = {
    "summary": ("概要", "Summary"),
    "units_years": ("单位×年度", "Units by year"),
    "initiatives_years": ("项目×年度", "Initiatives by year"),
    "indicators_wide": ("指标", "Indicator targets"),
    "allocation": ("分配明细", "allocation"),
    "indicators": ("指标明细", "indicators"),
    "unit_indicators": ("单位产出", "unit_indicators"),
    "budget": ("资金", "budget"),
    "marginals": ("边际价值", "marginals"),
    "scores": ("排名", "Ranking"),
    "dea": ("DEA效率", "dea"),
    "awards": ("绩效奖励", "awards"),
    "next_floors": ("下年存量底线", "next_floors"),
    "malmquist": ("Malmquist指数", "malmquist"),
    "parts": ("得分明细", "parts"),
    "goals": ("目标达成", "goals"),
    "reclaim": ("盘活存量", "reclaim"),
    "performance_money": ("绩效资金", "performance money"),
    "unit_costs": ("单位成本", "unit_costs"),
    "execution": ("预算执行", "execution"),
    "tasks": ("任务分解", "tasks"),
    "frontier": ("前沿", "frontier"),
    "clear": ("清零指标", "clear"),
    "extra": ("追加资金", "extra"),
    "curve": ("清零成本曲线", "curve"),
    "compare": ("对比", "compare"),
    "risk": ("达成风险", "risk"),
    "draws": ("模拟明细", "draws"),
    "manifest": ("运行信息", "manifest"),
    "money_by_level": ("各水平资金", "Money by level"),
}

MONEY_COLUMNS = frozenset(c for c, (_, _, f) in COLUMNS.items() if f == sheet.MONEY)


def header(column: str, lang: str) -> str:
    """A column's heading in ``lang`` (its own name when unknown)."""
    entry = COLUMNS.get(column)
    if entry is None:
        if column.startswith("extra_") and column[6:].isdigit():
            return f"{column[6:]}年追加（万元）" if lang == "zh" else f"Extra {column[6:]} (万元)"
        return column
    return entry[0] if lang == "zh" else entry[1]


def number_format(column: str) -> str | None:
    """The number format of a column's numbers (money with two decimals, shares as percentages, ...)."""
    entry = COLUMNS.get(column)
    if entry is not None:
        return entry[2]
    if column.startswith("extra_"):
        return sheet.MONEY
    return None


def sheet_name(key: str, lang: str) -> str:
    """A sheet's name in ``lang``."""
    zh, en = SHEETS.get(key, (key, key))
    return (zh if lang == "zh" else en)[:31]
