"""Chinese explanations of every scenario field, policy key and table column, for workbook templates.

The English meaning of each column lives with the schema (``models/``); these are the words an analyst
in the planning office reads in the template's README sheet and in the comment on each header.
A test checks that every column and key of the schema has an entry here.
"""

from __future__ import annotations

SCENARIO_ZH: dict[str, str] = {
    "name": "情景的简称（英文字母、数字、下划线）。",
    "title_zh": "中文标题。",
    "title_en": "英文标题。",
    "language": "报告、工作簿和命令行输出的语言：zh（中文）或 en（英文）。",
    "currency": "金额单位，默认万元。",
    "start_year": "规划的第一年。",
    "end_year": "规划的最后一年。",
    "description": "情景的用途和数据来源说明。",
}

POLICY_ZH: dict[str, str] = {
    "floors": "按上年考核等级，单位每年至少保留上年存量的比例（盘活存量：其余部分可以收回调整）。",
    "default_grade": "没有考核等级的单位按此等级计。",
    "floor_basis": "保底比例以上一年的存量（逐年累计，previous_year）还是基期存量（base_year）为基数。",
    "change_cap.up_share": "单位经费总额每年至多比上年增长的比例（另加 up_abs）；空白表示不设上限。",
    "change_cap.up_abs": "增幅上限之外另加的绝对额（万元），使基数很小的单位也能增长。",
    "change_cap.down_share": "单位经费总额每年至多比上年减少的比例；空白表示不设下限。",
    "missing_reserve_share": "缺项专项：在缺项指标尚未落实之前，每年增量中至少用于能推动缺项指标的举措的比例；全部落实后自动结束。",
    "missing_reserve_until": "缺项专项最晚适用的年份；空白表示到全部缺项落实为止。",
    "lines.down_share": "经费线（单位×举措）每年至多比上年减少的比例；空白表示不限。有此限制时经费线不会“停了又开”。",
    "lines.up_share": "经费线每年至多比上年增加的比例（另加 up_abs）；空白表示不限。",
    "lines.up_abs": "经费线增幅上限之外另加的绝对额（万元）。",
    "lines.start_abs": "新开经费线（无基数）在增幅上限之外一次性可起步的额度（万元）；空白表示新线不设上限。",
    "lines.must_fund": "政策点名、须保持经费的举措（代码、clause:… 或 group:…），其基数经费线每年不低于 must_fund_share。",
    "lines.must_fund_share": "必保经费线每年至少保留基数的比例。",
    "lines.reclaim_below": "上年预算执行率低于此值的经费线，其闲置资金当年收回（降幅上限按实际支出计）；空白表示不启用。",
    "pipeline_share": "规划末年有建设周期的举措经费至少为此前年均的比例（为下一个规划储备）；0 表示不要求。",
    "missing_priority": "清零缺项指标所在的优先级（1 表示最先求解）。",
    "progress_priority": "没有单独优先级的指标，其加权进展所在的优先级。",
    "milestone_weight": "指标权重中按年度阶段目标计分的部分。",
    "beyond_target_credit": "超额完成目标时，每单位标准化超额进展的奖励（使超额产出仍有价值）。",
    "unit_floor_overrides": "个别单位的保底比例，取代按等级的保底（由绩效评价结果生成）；按行填写 unit_floor_overrides.单位代码。",
    "scoring.weights": "百分制总分中各考核项的权重：completion 产出完成、execution 预算执行率、unit_cost 单位成本（与开支标准比）、"
    "timeliness 按期完成、dea DEA效率（0 表示只作附录）；不适用于某单位的项不计，其余折算为100分。",
    "scoring.completion_cap": "每个指标的完成度至多按目标的此倍数计（该项不超过100%）。",
    "scoring.grading": "按分数线（thresholds）或强制分布（distribution，在各考核线内）评级。",
    "scoring.thresholds": "各评级的最低分（满分100）：A 优、B 良、C 中、D 差（按分数线评级时）。",
    "scoring.distribution": "各评级的单位比例（强制分布时，在各考核线内），从高到低。",
    "scoring.track_shares": "奖励总额在学院（college）与职能部门（department）两条考核线之间的分配比例，合计为1。",
    "scoring.landmark_bonus": "单位当年每完成一项标志性成果指标的加分；总分不超过100。",
    "scoring.dea_model": "附录（以及计分时）使用的 DEA 模型：ccr、bcc 或 sbm。",
    "scoring.dea_outputs": "DEA 产出：每个政策维度一个（dimension，单位较少时仍有区分度）或每个指标一个（indicator）。",
    "scoring.dea_orientation": "DEA 导向：input（投入）、output（产出）或 non（非导向）。",
    "scoring.dea_faculty_input": "是否把专任教师数作为 DEA 的第二项投入。",
    "scoring.incentive_pool": "每年分配的绩效奖励总额（万元），在两条考核线之间分配。",
    "scoring.award_threshold": "总分超过此门槛的部分才参与奖励分配。",
    "scoring.award_cap": "每个单位奖励的上限（万元）；空白表示不设上限。",
    "scoring.award_floor": "超过门槛的单位至少获得的奖励（万元）。",
    "performance_money.share": "每年增量中作为绩效资金的比例（0表示不设绩效资金）。",
    "performance_money.size": "单位规模因素：base（上年基数经费）或 full_time_faculty（专任教师数）。",
    "performance_money.stop_loss": "止损比例：单位绩效资金比上年减少不超过此比例（0 表示不减少，1 表示不保护）；资金不足时按比例压缩。",
    "performance_money.change_caps": "按考核等级的单位经常性经费年增幅/降幅上限（可选），取代 change_cap；绩效资金不计入。",
    "performance_money.points": "各单位考核得分（满分100，由 plan --performance 从考核结果写入）；空白表示按规模分配。",
    "performance_money.graded_year": "考核得分所属年份；其后各年的绩效资金按得分×规模分配。",
    "performance_money.follow": "考核年之后，该等级的单位经费不少于（at_least）或不多于（at_most）考核前方案的经费加其绩效资金的变化。",
    "performance_money.reference": "考核前方案中各单位各年的经费（由 plan --performance 求解写入）。",
}

KEY_ZH = "代码（英文字母开头，只含字母、数字和单下划线），供其他表引用。"

COLUMNS_ZH: dict[str, dict[str, str]] = {
    "indicators": {
        "key": KEY_ZH,
        "name_zh": "政策原文中的中文名称。",
        "name_en": "英文名称。",
        "unit_label": "计量单位，如 人、门、个、人次/年、%。",
        "kind": "指标类型：cumulative_new（规划期新增累计）、level（存量水平）、ratio（比例）、annual_rate（年度数）、"
        "per_unit_min（每个符合条件的单位至少达到）、breakthrough（突破）。",
        "baseline": "基期（规划开始前一年）年末的数值，口径与目标相同；比例填小数。",
        "target": "目标值（比例填小数，0.05 = 5%）。",
        "target_year": "目标年份。",
        "weight": "在加权进展（第二阶段）中的相对权重。",
        "priority": "本指标进展所在的优先级（1 最先）；空白按 policy.progress_priority。缺项的清零始终在 policy.missing_priority。",
        "dimension": "所属政策维度（七个“有”之一）。",
        "clause": "设定目标的政策条款，如 三(一)1。",
        "departments": "责任部门，多个用 ; 分隔。",
        "landmark": "是否为政策列出的标志性成果（true/false）。",
        "missing": "是否为缺项指标（现状为零）；空白时按类型判断。",
        "clear_by": "缺项指标的清零年份；空白表示目标年份。",
        "clear_level": "视为清零的数值；空白时计数指标为 1，突破类与每单位最低类为目标值。",
        "decay": "仅 level/ratio：每年流失的比例（毕业、离职）。",
        "exogenous": "不靠本预算每年自然变化的量（annual_rate 为其他经费支持的量）。",
        "denominator": "仅 ratio：已知的分母，如专任教师 2486 人。",
        "qualifying": "仅 per_unit_min：哪些单位必须各自达到目标（单位选择）。",
        "note": "数字来源；政策没有给出的数字标“假设”并说明理由。",
    },
    "milestones": {
        "indicator": "指标代码（下拉选择）。",
        "year": "年份。",
        "value": "该年应达到的阶段目标。",
    },
    "units": {
        "key": KEY_ZH,
        "name_zh": "中文名称。",
        "name_en": "英文名称。",
        "type": "college（学院）或 department（职能部门）。",
        "top_peak": "是否为一流高峰学科所在学院（true/false）。",
        "university": "省级方案中该单位所属的高校（单位选择写 university:高校名）；学校自己的方案留空。",
        "full_time_faculty": "专任教师人数。",
        "grade": "上年考核等级 A–D；空白按政策的默认等级。",
        "note": "数字来源；假设标“假设”。",
    },
    "initiatives": {
        "key": KEY_ZH,
        "name_zh": "中文名称。",
        "name_en": "英文名称。",
        "clause": "政策条款，如 三(一)1。",
        "group": "自定义分组，可在资金来源规则中引用（group:分组名）。",
        "units": "可承担的单位：all、colleges、departments、top_peak、university:高校名，或单位代码（; 分隔）。",
        "unit_cost": "每个活动单位的经费（万元/人、门、个……）。",
        "activity_label": "一个活动单位是什么（人、门、个……）。",
        "economic_class": "支出经济分类（下拉选择，可填科目编码或名称），用于预算编制表。",
        "setup_cost": "单位首次承担时的一次性启动经费（万元）。",
        "integer": "是否只能整数个地安排（一个机构、一个平台、一种期刊）（true/false）。",
        "one_off": "是否为一次性投入，不计入年度变动上限；空白时整数类举措为是。",
        "lag": "建设周期（年）：t 年投入，t+lag 年产出。",
        "pay_years": "一个活动单位的成本分几年等额支付（奖学金按学制每年支付、人才经费分期）；1 表示当年付清。",
        "min_funding": "单位某年承担时至少安排的经费（万元）。",
        "max_funding": "每个单位每年至多安排的经费（万元）；空白表示不限。",
        "capacity": "每个单位每年至多的活动单位数；空白表示不限。",
        "total_capacity": "全校每年至多的活动单位数。",
        "horizon_capacity": "整个规划期全校至多的活动单位数。",
        "note": "成本与限额的依据；假设标“假设”。",
    },
    "base_allocations": {
        "unit": "单位代码（下拉选择）。",
        "initiative": "举措代码（下拉选择）。",
        "amount": "上年基数（万元），即存量。",
    },
    "segments": {
        "initiative": "举措代码（下拉选择）。",
        "width": "本段的活动单位数（每个单位每年）；空白表示不限（只能是最后一段）。",
        "efficiency": "本段每个活动单位的产出相对于满额产出的比例（递减）。",
    },
    "effects": {
        "initiative": "举措代码（下拉选择）。",
        "indicator": "指标代码（下拉选择）。",
        "yield_per_unit": "每个活动单位带来的指标增量，如每个资助名额 1 人。",
        "note": "产出系数的依据；假设标“假设”。",
    },
    "budget": {
        "year": "年份（每个规划年一行）。",
        "stock": "学校存量经费（万元）。",
        "increment": "学校增量经费（万元）。",
    },
    "sources": {
        "key": KEY_ZH,
        "name_zh": "中文名称，如 学科建设经费。",
        "name_en": "英文名称。",
        "pool": "计入哪个资金池：stock（存量）或 increment（增量）。",
        "units": "可使用的单位：all、colleges、departments、top_peak，或单位代码。",
        "initiatives": "可使用的举措：all、clause:条款前缀、group:分组名，或举措代码。",
        "min_unit_share": "每个可使用单位至少获得当年该经费的比例。",
        "max_unit_share": "任一单位至多获得当年该经费的比例。",
        "note": "金额来源；假设标“假设”。",
    },
    "goals": {
        "key": KEY_ZH,
        "name_zh": "中文名称，按业务部门的说法。",
        "name_en": "英文名称。",
        "unit_label": "目标表达式的计量单位（万元、人、% 等），用于报告。",
        "priority": "优先级（1 最先求解）；硬目标可不填。",
        "sense": "at_least（不足扣分）、at_most（超出扣分）或 exactly（两侧都扣分）。",
        "target": "目标值，与表达式同单位。",
        "weight": "本目标的偏差在同一优先级内的权重。",
        "scale": "relative：偏差按目标值的比例计；native：按目标自身单位计。",
        "hard": "硬目标即约束：受罚的一侧不允许有任何偏差（true/false）。",
        "note": "目标的来源；政策没有给出的数字标“假设”。",
    },
    "goal_terms": {
        "goal": "目标代码（下拉选择）。",
        "kind": "indicator（某年的指标值）、money（分配的万元）或 activity（购买的活动单位数）。",
        "coefficient": "该项的系数（负数表示减去）。",
        "indicator": "indicator 项：指标代码（下拉选择）。",
        "year": "indicator 项：取值年份；空白为该指标的目标年份。",
        "units": "单位选择：all、colleges、departments、top_peak 或单位代码；空白为全部。",
        "initiatives": "money/activity 项：举措选择（all、clause:…、group:… 或举措代码）；空白为全部。",
        "years": "money/activity 项：求和的年份（如 2021;2022）；空白为全部规划年。",
        "pools": "money 项：资金池（stock、increment）；空白为两者。",
        "sources": "money 项：资金来源（school 或来源代码）；空白为全部。",
    },
    "lines": {
        "unit": "单位代码，或 all 表示该举措的所有单位。",
        "initiative": "举措代码（下拉选择）。",
        "down_share": "本经费线每年至多减少的比例；空白按 policy.lines。",
        "up_share": "本经费线每年至多增加的比例；空白按 policy.lines。",
        "up_abs": "增幅上限另加的绝对额（万元）；空白按 policy.lines。",
        "start_abs": "新开经费线一次性起步额度（万元）；空白按 policy.lines。",
        "phase_out": "是否按计划退出（true/false）：按 schedule 逐年减少，之后不再安排。",
        "schedule": "退出进度：从规划第一年起每年至少保留基数的比例，如 0.6; 0.3；其后为零。",
        "must_fund": "本经费线每年的保底金额（万元）：承担政策点名的任务。",
        "must_fund_share": "本经费线每年至少保留基数的比例。",
        "reason": "理由：必保线的政策条款、退出的决定；假设标“假设”。",
    },
    "commitments": {
        "unit": "单位代码（下拉选择）。",
        "initiative": "举措代码（下拉选择）。",
        "year": "应付的规划年份。",
        "amount": "应付金额（万元）；不再产生新的产出（已计入基期）。",
        "reason": "已承诺的内容：在读的某届学生、人才经费的某期、已签协议。",
    },
    "locks": {
        "unit": "单位代码（下拉选择）。",
        "initiative": "举措代码（下拉选择）。",
        "year": "规划年份。",
        "amount": "该经费线当年固定的金额（万元，全部资金池与来源）。",
        "reason": "固定的理由。",
        "source": "支付该金额的资金来源（school 为学校自有经费，或限定用途经费的代码）；空白 = 全部来源合计。",
    },
    "execution": {
        "unit": "单位代码（下拉选择）。",
        "initiative": "举措代码（下拉选择）。",
        "year": "规划开始前一年（基期）。",
        "planned": "该经费线当年的预算（万元）。",
        "actual": "当年实际支出（万元）。",
        "note": "数据来源；假设标“假设”。",
    },
    "source_amounts": {
        "source": "资金来源代码（下拉选择）。",
        "year": "年份。",
        "amount": "金额（万元）。",
    },
}

TABLES_ZH: dict[str, str] = {
    "indicators": "指标：每行一个指标。",
    "milestones": "阶段目标（可选）：指标在各年应达到的数值。",
    "units": "单位：每行一个学院或职能部门。",
    "initiatives": "举措（项目）：每行一项可安排经费的举措。",
    "base_allocations": "上年基数：每个单位每项举措的上年经费，即存量。",
    "segments": "收益递减（可选）：举措的分段效率，按顺序填写。",
    "effects": "产出系数：每个活动单位对指标的贡献。",
    "budget": "学校经费：每年的存量与增量。",
    "sources": "限定用途的资金来源（可选），如学科建设经费。",
    "source_amounts": "各限定用途资金来源每年的金额。",
    "goals": "目标（可选）：对指标值、资金或活动量的上限、下限或精确值要求，按优先级依次求解。",
    "goal_terms": "目标的组成项：每个目标是若干项（指标值、资金、活动量）乘以系数之和。",
    "lines": "经费线规则（可选）：个别经费线或某举措全部经费线的增减上限、按计划退出、必保金额。",
    "commitments": "已承诺经费（可选）：在读学生奖学金、人才经费分期、已签协议等，计划先付。",
    "locks": "固定经费（可选）：某经费线某年的金额固定，其余重新求解。",
    "execution": "上年预算执行（可选）：各经费线上年的预算与实际支出，用于收回闲置资金。",
}


SCORE_SHEETS_ZH: dict[str, str] = {
    "actuals": "实际产出（必填）：各单位当年在各指标上的实际产出。",
    "spending": "实际支出（必填）：各单位当年在各经费线（举措）上的实际支出。",
    "targets": "考核目标（不用 --plan 时必填）：各单位当年各指标的考核目标；用 --plan 时取方案的任务分解表。",
    "planned": "预算数（与 targets 一起填写）：各经费线当年的预算，用于计算预算执行率；用 --plan 时取方案。",
    "standards": "开支标准（可选）：每单位产出的开支标准，取代按举措单位成本推算的标准。",
}

SCORE_COLUMNS_ZH: dict[str, dict[str, str]] = {
    "actuals": {
        "unit": "单位代码（下拉选择）。",
        "indicator": "指标代码（下拉选择）。",
        "year": "考核年份。",
        "value": "当年实际产出，按指标自身的计量单位（人、门、个……），与方案的年度产出同口径。",
    },
    "spending": {
        "unit": "单位代码（下拉选择）。",
        "initiative": "举措代码（下拉选择）。",
        "year": "考核年份。",
        "amount": "当年实际支出（万元）。",
    },
    "targets": {
        "unit": "单位代码（下拉选择）。",
        "indicator": "指标代码（下拉选择）。",
        "year": "考核年份。",
        "target": "分配给该单位的考核目标（指标自身的计量单位）。",
    },
    "planned": {
        "unit": "单位代码（下拉选择）。",
        "initiative": "举措代码（下拉选择）。",
        "year": "预算年份。",
        "amount": "该经费线当年的预算（万元）。",
    },
    "standards": {
        "indicator": "指标代码（下拉选择）。",
        "unit": "单位代码；空白表示适用于所有单位。",
        "standard": "每单位产出的开支标准（万元/人、万元/门……），须大于0。",
    },
}


def policy_zh(key: str) -> str:
    """The Chinese meaning of a dotted policy key (``floors.A`` is explained by ``floors``)."""
    if key in POLICY_ZH:
        return POLICY_ZH[key]
    head = key.rsplit(".", 1)[0]
    if head in POLICY_ZH:
        return f"{POLICY_ZH[head]}（{key.rsplit('.', 1)[1]}）"
    return ""
