"""Report wording in Chinese and English, chosen once per report.

Headings follow the scenario's ``language`` unless the caller asks for another; every string the page
shows that does not come from the run's files lives here, so the two languages cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("zh", "en")

# key -> (Chinese, English). Placeholders use str.format names.
_STRINGS: Mapping[str, tuple[str, str]] = {
    # page
    "report": ("运行报告", "Run report"),
    "kind.plan": ("预算分配方案", "Budget plan"),
    "kind.score": ("绩效评价", "Performance scoring"),
    "kind.sweep": ("预算敏感性分析", "Budget sweep"),
    "kind.clear": ("缺项指标清零成本", "Cost to clear missing indicators"),
    "kind.compare": ("方案对比", "Comparison of two plans"),
    "kind.risk": ("目标达成风险", "Risk of missing targets"),
    "contents": ("目录", "Contents"),
    "generated": (
        "本报告由运行文件夹生成，所有数字均取自其中的文件。",
        "Generated from the run folder; every number comes from its files.",
    ),
    "run_folder": ("运行文件夹", "Run folder"),
    "created": ("生成时间", "Created"),
    "command": ("命令", "Command"),
    "scenario": ("情景", "Scenario"),
    "input_sha": ("输入摘要 (SHA-256)", "Input SHA-256"),
    "solver": ("求解器", "Solver"),
    "status": ("状态", "Status"),
    "overrides": ("修改项", "Overrides"),
    "warnings": ("警告", "Warnings"),
    "run_info": ("运行信息", "Run information"),
    "timings": ("耗时（秒）", "Timings (seconds)"),
    "versions": ("软件版本", "Versions"),
    "none": ("无", "none"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "total": ("合计", "Total"),
    "chart_empty": ("无数据", "No data"),
    "sort_hint": ("点击列标题排序", "Click a column heading to sort"),
    "flat_series": ("{first}–{last}年每年均为 {value}", "{value} in every year {first}–{last}"),
    "flat_target": ("（目标 {target}）", " (target {target})"),
    "counts_note": (
        "人数、个数等计数按整数显示（四舍五入）；页面元素的 data-value 与 CSV 文件保留模型的精确值。比例以百分数显示。",
        "Counts (persons, institutes, courses) are shown rounded to whole numbers; the exact values are in the CSV files "
        "(and each number's data-value). Ratios are shown as percentages.",
    ),
    "show_table": ("展开明细表", "Show the detailed table"),
    # common columns
    "col.unit": ("单位", "Unit"),
    "col.unit_id": ("代码", "ID"),
    "col.initiative": ("举措", "Initiative"),
    "col.indicator": ("指标", "Indicator"),
    "col.year": ("年份", "Year"),
    "col.pool": ("资金池", "Pool"),
    "col.source": ("资金来源", "Source"),
    "col.amount": ("金额（万元）", "Amount (万元)"),
    "col.available": ("可用（万元）", "Available (万元)"),
    "col.allocated": ("已分配（万元）", "Allocated (万元)"),
    "col.unused": ("未用（万元）", "Unused (万元)"),
    "col.value": ("数值", "Value"),
    "col.target": ("目标值", "Target"),
    "col.target_year": ("目标年份", "Target year"),
    "col.unit_label": ("计量单位", "Unit of measure"),
    "col.kind": ("类型", "Kind"),
    "col.met": ("达成", "Met"),
    "col.shortfall": ("差额", "Shortfall"),
    "col.milestone": ("阶段目标", "Milestone"),
    "col.status": ("状态", "Status"),
    "pool.stock": ("存量", "stock"),
    "pool.increment": ("增量", "increment"),
    "pool.total": ("存量或增量", "stock or increment"),
    "met.true": ("达成", "met"),
    "met.false": ("未达成", "missed"),
    "met.none": ("—", "—"),
    # plan
    "plan.summary": ("概要", "Summary"),
    "plan.summary_intro": (
        "第一阶段：缺项指标清零的差额（0 表示全部按期清零）；第二阶段：加权标准化进展。",
        "Stage 1: shortfall in clearing the missing indicators (0 means all cleared on time); "
        "stage 2: weighted normalized progress toward every target.",
    ),
    "stage1_shortfall": ("第一阶段差额", "Stage 1 shortfall"),
    "stage2_progress": ("第二阶段加权进展", "Stage 2 weighted progress"),
    "total_allocated": ("分配总额（万元）", "Total allocated (万元)"),
    "targets_met": ("按期达成的目标", "Targets met"),
    "money_by_pool": ("各资金池资金（万元）", "Money by pool (万元)"),
    "plan.indicators": ("指标轨迹", "Indicator trajectories"),
    "plan.indicators_intro": (
        "每个指标按年份的预计值（实线），目标值（虚线）与阶段目标（菱形）。",
        "Each indicator's projected value by year (line) against its target (dashed) and milestones (diamonds).",
    ),
    "plan.money": ("资金分布", "Where the money goes"),
    "money_by_unit": ("按单位（万元）", "By unit (万元)"),
    "money_by_initiative": ("按举措（万元）", "By initiative (万元)"),
    "money_by_year_pool": ("按年份与资金池（万元）", "By year and pool (万元)"),
    "allocation_rows": ("分配明细", "Every allocation"),
    "plan.missing": ("缺项指标清零", "Missing indicators and when they clear"),
    "plan.missing_intro": (
        "缺项指标（现状为零、目标为正）在规定年份前至少达到清零水平。",
        "A missing indicator (zero today, positive target) must reach its clearing level by its clear-by year.",
    ),
    "plan.no_missing": ("本情景没有缺项指标。", "This scenario has no missing indicators."),
    "col.clear_by": ("清零年份", "Clear by"),
    "col.clear_level": ("清零水平", "Clearing level"),
    "col.first_cleared": ("首次达到年份", "First year reached"),
    "col.value_at_clear_by": ("清零年份数值", "Value in clear-by year"),
    "not_reached": ("未达到", "not reached"),
    "plan.marginals": ("边际价值", "Marginal values"),
    "plan.marginals_intro": (
        "再增加（或放松）一单位约束能带来的目标改善。",
        "What one more unit of each binding limit is worth to the objectives.",
    ),
    "plan.marginals_more": ("其余 {n} 项", "The other {n}"),
    "plan.marginals_money": ("资金：每增加100万元约提高加权进展的百分点", "Money: percentage points of progress per 100 万元 more"),
    "plan.marginals_capacity": ("容量：每增加一个活动单位的价值", "Capacities: what one more unit of capacity is worth"),
    "plan.marginals_other": ("其他约束（存量保底、变动上限等）{n} 项", "Other limits (stock floors, change caps, ...): {n}"),
    "col.fund": ("资金", "Fund"),
    "col.per_100": ("每100万元约x个百分点", "Points per 100 万元"),
    "col.cumulative": ("规划期累计", "Cumulative"),
    "numerator": ("人（比例的分子）", "persons (numerator)"),
    "plan.unit_outputs_intro": (
        "各单位每年应产出的数量（即分解到单位的任务）；年度类指标只列当年产出，比例类指标列分子（人数）。",
        "What each unit is to deliver each year (its share of the targets); yearly indicators show that year's output "
        "only, ratios their numerator (persons).",
    ),
    "plan.no_marginals": ("本次运行没有边际价值表。", "This run has no marginal-value table."),
    "col.constraint": ("约束", "Constraint"),
    "col.family": ("类别", "Family"),
    "col.value_stage1": ("第一阶段", "Stage 1"),
    "col.value_stage2": ("第二阶段", "Stage 2"),
    "col.words": ("说明", "In words"),
    "plan.unit_outputs": ("各单位计划产出", "Each unit's planned output"),
    "plan.goals": ("按优先级的目标达成", "Goals by priority level"),
    "plan.goals_intro": (
        "逐级求解：先求第一优先级的最优，保持不变后再求下一级；各目标的差额与超出量均为其自身计量单位。",
        "Solved level by level: each level's optimum is held while the next is optimized; shortfalls and excesses "
        "are in each goal's own units.",
    ),
    "plan.no_goals": ("本次运行没有目标达成表。", "This run has no goal table."),
    "col.goal": ("目标", "Goal"),
    "col.priority": ("优先级", "Priority"),
    "col.sense": ("方向", "Sense"),
    "col.achieved": ("达成值", "Achieved"),
    "col.under": ("差额", "Short by"),
    "col.over": ("超出", "Over by"),
    "sense.at_least": ("不低于", "at least"),
    "sense.at_most": ("不高于", "at most"),
    "sense.exactly": ("等于", "exactly"),
    "col.output": ("当年产出", "Output"),
    # score
    "score.summary": ("概要", "Summary"),
    "score.years": ("评价年份", "Years scored"),
    "incentive_pool": ("每年奖励总额（万元）", "Incentive pool per year (万元)"),
    "awards_total": ("已发放奖励（元）", "Awards paid (yuan)"),
    "undistributed": ("未分配（元）", "Undistributed (yuan)"),
    "dea_model": ("DEA 模型", "DEA model"),
    "score.ranking": ("排名与等级", "Ranking and grades"),
    "score.ranking_intro": (
        "综合得分 = 完成度、DEA 效率与成本效率的加权和；等级按政策阈值划分。",
        "Composite = weighted completion, DEA efficiency and cost efficiency; grades follow the policy's thresholds.",
    ),
    "col.rank": ("名次", "Rank"),
    "col.spending": ("支出（万元）", "Spending (万元)"),
    "col.completion": ("完成度", "Completion"),
    "col.output_index": ("产出指数", "Output index"),
    "col.cost_efficiency": ("成本效率", "Cost efficiency"),
    "col.dea_efficiency": ("DEA 效率", "DEA efficiency"),
    "col.composite": ("综合得分", "Composite"),
    "col.grade": ("等级", "Grade"),
    "col.award": ("奖励（万元）", "Award (万元)"),
    "grade_counts": ("等级分布", "Grades"),
    "thresholds": ("等级阈值", "Grade thresholds"),
    "score.awards": ("绩效奖励", "Incentive awards"),
    "col.merit": ("超出门槛部分", "Merit"),
    "col.award_yuan": ("奖励（元）", "Award (yuan)"),
    "col.limited_by": ("受限于", "Limited by"),
    "score.dea": ("DEA 效率：标杆与松弛", "DEA efficiency: peers and slacks"),
    "score.dea_intro": (
        "每个单位与其标杆单位（括号内为权重）比较；松弛量表示在效率之外仍可改进之处。",
        "Each unit is compared with its peers (weights in brackets); slacks show room left beyond the efficiency score.",
    ),
    "col.efficiency": ("效率", "Efficiency"),
    "col.super_efficiency": ("超效率", "Super-efficiency"),
    "col.rts": ("规模报酬", "Returns to scale"),
    "col.peers": ("标杆单位", "Peers"),
    "col.slacks": ("松弛量", "Slacks"),
    "col.explanation": ("解释", "Explanation"),
    "col.measure": ("投入/产出", "Input/output"),
    "col.actual": ("实际", "Actual"),
    "col.slack": ("松弛", "Slack"),
    "col.dea_target": ("目标", "Target"),
    "measure.input": ("投入", "input"),
    "measure.output": ("产出", "output"),
    "measure.money": ("资金（万元）", "money (万元)"),
    "measure.full_time_faculty": ("专任教师数", "full-time faculty"),
    "score.malmquist": ("Malmquist 生产率指数", "Malmquist productivity index"),
    "col.from_year": ("起始年", "From"),
    "col.to_year": ("结束年", "To"),
    "col.malmquist": ("Malmquist 指数", "Malmquist"),
    "col.efficiency_change": ("效率变化", "Efficiency change"),
    "col.technical_change": ("技术变化", "Technical change"),
    "score.floors": ("下一年度存量底线", "Next year's stock floors"),
    "score.floors_intro": (
        "按等级保留上一年度存量的比例；其余部分可以收回调整。",
        "Share of last year's stock each unit keeps by grade; the rest may be reclaimed.",
    ),
    "col.floor_share": ("保留比例", "Floor share"),
    "col.stock_basis": ("存量基数（万元）", "Stock basis (万元)"),
    "col.floor_amount": ("底线（万元）", "Floor (万元)"),
    "col.may_reclaim": ("可收回（万元）", "May reclaim (万元)"),
    # sweep
    "sweep.summary": ("概要", "Summary"),
    "sweep.scope": ("调整对象", "What was varied"),
    "sweep.levels": ("水平数", "Levels"),
    "sweep.frontier": ("预算—进展前沿", "The frontier: progress against budget"),
    "sweep.frontier_path": ("各取值下的进展", "Progress at each value"),
    "sweep.frontier_intro": (
        "各水平下第二阶段加权进展；红色标记为达成目标数少于相邻水平之处（目标开始落空）。",
        "Stage 2 weighted progress at each level; red markers show where fewer targets are met than at a "
        "neighbouring level (targets slip).",
    ),
    "sweep.targets": ("各水平达成的目标", "Targets met by level"),
    "sweep.by_indicator": ("各指标在目标年份的数值", "Each indicator in its target year"),
    "sweep.by_indicator_intro": ("绿色：达成目标；红色：未达成。", "Green: target met; red: missed."),
    "col.level": ("水平", "Level"),
    "col.budget": ("预算（万元）", "Budget (万元)"),
    "col.missing_cleared": ("已清零缺项", "Missing cleared"),
    "col.targets_met": ("达成目标数", "Targets met"),
    "sweep.money": ("各水平的资金分布（万元）", "Money by initiative at each level (万元)"),
    "targets_slip": ("目标落空", "targets slip"),
    "sweep.flat": (
        "各水平的第二阶段加权进展都是 {value}：在这一范围内调整不改变方案的进展。",
        "Stage 2 progress is {value} at every level: nothing in this range changes it.",
    ),
    "axis.budget": ("预算（万元）", "budget (万元)"),
    "axis.level": ("水平", "level"),
    "axis.progress": ("加权进展", "weighted progress"),
    # clear
    "clear.summary": ("概要", "Summary"),
    "clear.q_indicators": ("要清零的指标", "Indicators to clear"),
    "clear.q_by": ("清零年份", "Clear by"),
    "clear.q_by_default": ("各指标的清零年份（或目标年份）", "each indicator's clear-by (or target) year"),
    "clear.q_pool": ("追加资金来自", "Extra money from"),
    "clear.q_keep_others": ("其他指标不低于原方案", "Other indicators held at the base plan"),
    "extra_total": ("所需追加资金（万元）", "Extra money needed (万元)"),
    "clear.indicators": ("清零的指标", "Indicators to clear"),
    "col.requirement": ("要求", "Requirement"),
    "col.base_value": ("原方案数值", "Value without extra"),
    "col.extra_total": ("追加总额（万元）", "Extra total (万元)"),
    "clear.extra": ("按年份追加的资金（万元）", "Extra money by year (万元)"),
    "col.extra": ("追加（万元）", "Extra (万元)"),
    "clear.curve": ("清零成本曲线", "Cost-to-clear curve"),
    "clear.curve_intro": (
        "至少清零 k 个缺项指标所需的最少追加资金；“该方案清零的指标”列出每一行方案实际清零的全部缺项指标（含原方案自己清零的，"
        "k=0 即原方案），可多于 k 个。",
        "Least extra money to clear at least k missing indicators; “Cleared by the plan” lists every one each row's plan "
        "clears (the base plan's own clears included: k = 0 is the base plan), which may be more than k.",
    ),
    "col.k": ("至少清零个数 k", "At least k cleared"),
    "col.cleared": ("该方案清零的指标", "Cleared by the plan"),
    "axis.k": ("清零个数", "indicators cleared"),
    "axis.extra": ("追加资金（万元）", "extra money (万元)"),
    "clear.plan": ("花费追加资金的方案", "The plan that spends it"),
    "clear.why": ("无法达到的原因与可以调整之处", "Why it cannot be reached, and what would change that"),
    "clear.no_extra_needed": (
        "不需要追加资金：原方案已在要求的年份达到。",
        "No extra money is needed: the plan reaches it by the year asked.",
    ),
    "clear.no_extra_unreachable": (
        "没有追加资金方案：所问的指标无论追加多少资金都无法一起在要求的年份达到（原因见上）。",
        "No extra money plan: the indicators asked cannot all be reached by the year asked with any amount (see why above).",
    ),
    "clear.flat_curve": (
        "清零 {first}–{last} 个缺项指标所需的追加资金都是 {money} 万元。",
        "Clearing {first} to {last} missing indicators costs {money} 万元 extra in each case.",
    ),
    "clear.flat_unreachable": ("清零 {ks} 个在要求的年份前无法达到。", " Clearing {ks} cannot be done by the year asked."),
    # compare
    "compare.summary": ("概要", "Summary"),
    "run_a": ("方案 A", "Run A"),
    "run_b": ("方案 B", "Run B"),
    "compare.objectives": ("目标函数", "Objectives"),
    "compare.moved": ("资金变动（B − A，万元）", "What moved (B − A, 万元)"),
    "compare.moved_intro": (
        "正值表示方案 B 比方案 A 多分配的资金，负值表示减少。",
        "Positive bars: run B gives more than run A; negative bars: less.",
    ),
    "by.unit": ("按单位", "By unit"),
    "by.initiative": ("按举措", "By initiative"),
    "by.pool": ("按资金池", "By pool"),
    "by.source": ("按资金来源", "By source"),
    "by.year": ("按年份", "By year"),
    "by.unit_initiative": ("按单位与举措", "By unit and initiative"),
    "col.key": ("项目", "Item"),
    "col.a": ("A", "A"),
    "col.b": ("B", "B"),
    "col.delta": ("变动", "Change"),
    "col.met_a": ("A 达成", "Met in A"),
    "col.met_b": ("B 达成", "Met in B"),
    "compare.status": ("达成状态改变的指标", "Indicators whose status changed"),
    "compare.no_status": ("没有指标的达成状态改变。", "No indicator changed status."),
    "compare.indicators": ("全部指标", "All indicators"),
    # risk
    "risk.summary": ("概要", "Summary"),
    "risk.draws": ("模拟次数", "Draws"),
    "risk.cv": ("产出变异系数", "Yield coefficient of variation"),
    "risk.seed": ("随机种子", "Seed"),
    "risk.resolve": ("每次重新优化", "Re-optimized per draw"),
    "risk.distribution": ("分布", "Distribution"),
    "risk.probability": ("目标达成概率", "Probability each target is met"),
    "risk.ranges": ("5%–95% 区间", "5–95% ranges"),
    "risk.ranges_intro": (
        "横线为 5%–95% 区间，圆点为中位数，竖线为目标值，菱形为方案值。",
        "Bars span the 5–95% range; the dot is the median, the tick the target, the diamond the plan's value.",
    ),
    "col.plan_value": ("方案值", "Plan value"),
    "col.probability": ("达成概率", "Probability"),
    "col.std_error": ("标准误", "Std. error"),
    "col.mean": ("均值", "Mean"),
    "col.p05": ("5% 分位", "5%"),
    "col.p50": ("中位数", "Median"),
    "col.p95": ("95% 分位", "95%"),
    "col.missing": ("缺项", "Missing"),
    "col.clear_probability": ("清零概率", "Clear probability"),
}


def resolve_language(requested: str | None, scenario_language: str | None) -> str:
    """The report's language: the caller's choice, else the scenario's, else Chinese.

    Chinese is the fallback because the office that reads these reports works in Chinese.

    Raises:
        ValueError: if ``requested`` is not one of :data:`LANGUAGES`.
    """
    if requested is not None:
        lang = requested.strip().lower()
        if lang not in LANGUAGES:
            raise ValueError(f"unknown report language {requested!r}; choose one of {', '.join(LANGUAGES)}")
        return lang
    if scenario_language in LANGUAGES:
        return scenario_language
    return "zh"


class Translator:
    """Looks up report strings in one language; missing keys fail loudly in tests rather than showing a key."""

    def __init__(self, lang: str):
        if lang not in LANGUAGES:
            raise ValueError(f"unknown report language {lang!r}")
        self.lang = lang
        self._index = LANGUAGES.index(lang)

    def __call__(self, key: str, **values: object) -> str:
        """The string for ``key`` in this language, with ``values`` substituted."""
        text = _STRINGS[key][self._index]
        return text.format(**values) if values else text

    def knows(self, key: str) -> bool:
        """Whether ``key`` has a translation (for coded values that may or may not have one)."""
        return key in _STRINGS

    def label(self, prefix: str, value: str) -> str:
        """A translated label for a coded value (e.g. pool ``stock``), or the value itself when none exists."""
        key = f"{prefix}.{value}"
        return self(key) if key in _STRINGS else value
