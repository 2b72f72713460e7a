"""Words of the scoring report (Chinese, English) that no other report uses."""

from __future__ import annotations

# The scoring report's own words: key -> (Chinese, English).
WORDS: dict[str, tuple[str, str]] = {
    "ranking": ("百分制排名与评级", "Ranking in 100 points, with ratings"),
    "ranking_intro": (
        "学院与职能部门分两条线考核排名；总分为各考核项加权得分之和（不适用的项不计，其余按权重折算为100分）加标志性成果加分，"
        "总分不超过100分。评级：优、良、中、差。",
        "Colleges and functional departments are ranked on separate tracks. Points are the weighted parts that apply "
        "(scaled to 100) plus any landmark bonus, never above 100. Ratings: 优 excellent, 良 good, 中 fair, 差 poor.",
    ),
    "track.college": ("学院", "Colleges"),
    "track.department": ("职能部门", "Functional departments"),
    "parts": ("各单位得分明细", "Each unit's parts, in its own units"),
    "parts_intro": (
        "每一考核项的得分、满分与依据（人数、项数与万元）。职能部门按其牵头指标的全校完成情况与本部门预算执行考核。",
        "Each part's points, what it was worth and why, in people, items and 万元. A department is held to the "
        "school's totals on the indicators it leads and to its own budget execution.",
    ),
    "execution": ("预算执行率", "Budget execution (预算执行率)"),
    "execution_intro": ("实际支出 ÷ 预算数，按单位与项目。", "Actual spending over planned money, by unit and by line."),
    "lines": ("按项目", "By line"),
    "unit_costs": ("单位成本与开支标准", "Unit costs against the standard"),
    "unit_costs_intro": (
        "到期产出对应的支出 ÷ 实际产出，与开支标准比较（比值大于1表示高于标准）；职能部门只计其牵头指标。",
        "Money due this year on the lines feeding an indicator over the output delivered, against the standard cost "
        "(a ratio above 1 is dearer than the standard); for a department only the indicators it leads count.",
    ),
    "annex": ("附录：DEA 效率（不计入总分）", "Annex: DEA efficiency (not part of the points)"),
    "annex_weighted": ("附录：DEA 效率", "Annex: DEA efficiency"),
    "dea_intro": (
        "按考核线分别计算前沿。小额支出单位与唯一产出单位按构造即为有效，DEA 不宜单独作为分配依据。",
        "Frontiers are computed within each track. Small spenders and sole producers come out efficient by "
        "construction, so DEA alone is not a basis for money.",
    ),
    "weights": ("考核项与权重", "Parts and weights"),
    "ratings": ("评级线（分）", "Rating thresholds (points)"),
    "landmark_bonus": ("标志性成果加分", "Landmark bonus"),
    "track_pools": ("各考核线奖励额（万元）", "Pool per track (万元)"),
    "col.points": ("总分", "Points"),
    "col.rating": ("评级", "Rating"),
    "col.execution_rate": ("执行率", "Execution"),
    "col.planned": ("预算（万元）", "Planned (万元)"),
    "col.unit_cost_score": ("成本", "Unit cost"),
    "col.timeliness": ("按期", "On time"),
    "col.part": ("考核项", "Part"),
    "col.part_points": ("得分", "Points"),
    "col.max_points": ("满分", "Out of"),
    "col.why": ("依据", "Why"),
    "col.indicator": ("指标", "Indicator"),
    "col.output": ("产出", "Output"),
    "col.unit_cost": ("单位成本（万元）", "Unit cost (万元)"),
    "col.standard": ("开支标准（万元）", "Standard (万元)"),
    "col.ratio": ("比值", "Ratio"),
    "col.counted": ("计分", "Counted"),
    "part.completion": ("产出完成", "Completion"),
    "part.execution": ("预算执行率", "Budget execution"),
    "part.unit_cost": ("单位成本", "Unit cost"),
    "part.timeliness": ("按期完成", "Timeliness"),
    "part.dea": ("DEA 效率", "DEA efficiency"),
    "part.landmark": ("标志性成果加分", "Landmark bonus"),
    "rating_counts": ("评级分布", "Ratings"),
    "points_unit": ("分", " points"),
}
