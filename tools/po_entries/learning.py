"""Routing that learns: the model registry page, its messages and the dispatcher queue's back-off note."""

ENTRIES = {
    "Routing models": ("分派模型", "分派模型"),
    "Every night a candidate model learns from the dispatchers' decisions. It is scored on the newest requests, held out from its training, and routes only if it beats the model routing now. Each level routes by itself only above the confidence at which %(target)s of held-out requests were routed right; below it, requests wait for a dispatcher.": (
        "每晚，候選模型從派單員的決定中學習。它在最新的、未用於訓練的訴求上評分，只有勝過目前分派的模型才會啟用。每一級只在信心高於某個門檻時才自動派單：在該門檻以上，留出的訴求有 %(target)s 派對了；低於門檻的訴求等待派單員處理。",
        "每晚，候选模型从派单员的决定中学习。它在最新的、未用于训练的诉求上评分，只有胜过目前分派的模型才会启用。每一级只在信心高于某个门槛时才自动派单：在该门槛以上，留出的诉求有 %(target)s 派对了；低于门槛的诉求等待派单员处理。",
    ),
    "Coverage and precision (model v%(version)s)": (
        "覆蓋率與準確率（模型 v%(version)s）",
        "覆盖率与准确率（模型 v%(version)s）",
    ),
    "Across: the share of held-out requests routed without a dispatcher. Up: the share of those routed right. The dots are the thresholds in use; the dashed line is the precision target.": (
        "橫軸：無需派單員即自動派出的留出訴求比例。縱軸：其中派對的比例。圓點是目前使用的門檻，虛線是準確率目標。",
        "横轴：无需派单员即自动派出的留出诉求比例。纵轴：其中派对的比例。圆点是目前使用的门槛，虚线是准确率目标。",
    ),
    "The curve as a table": ("以表格顯示曲線", "以表格显示曲线"),
    "Threshold": ("門檻", "门槛"),
    "Routed without a dispatcher": ("自動派出", "自动派出"),
    "Precision": ("準確率", "准确率"),
    "No held-out requests yet: the curve appears once dispatchers have made decisions.": (
        "還沒有留出的訴求：派單員作出決定後，這裡會顯示曲線。",
        "还没有留出的诉求：派单员作出决定后，这里会显示曲线。",
    ),
    "Versions": ("版本", "版本"),
    "Version": ("版本", "版本"),
    "Trained": ("訓練時間", "训练时间"),
    "Held-out figures by level": ("各級的留出評估", "各级的留出评估"),
    "Decision": ("決定", "决定"),
    "Promoted": ("啟用", "启用"),
    "routing now": ("分派中", "分派中"),
    "Decisions: %(n)s": ("派單決定：%(n)s", "派单决定：%(n)s"),
    "%(n)s from the base file": ("基礎檔案 %(n)s 筆", "基础文件 %(n)s 条"),
    "%(n)s held out": ("留出 %(n)s 筆", "留出 %(n)s 条"),
    "Level %(level)s: macro-F1 %(score)s on %(n)s": (
        "第 %(level)s 級：macro-F1 %(score)s（%(n)s 筆）",
        "第 %(level)s 级：macro-F1 %(score)s（%(n)s 条）",
    ),
    "routes %(coverage)s alone at %(threshold)s, %(precision)s right": (
        "信心 ≥ %(threshold)s 時自動派出 %(coverage)s，其中 %(precision)s 正確",
        "信心 ≥ %(threshold)s 时自动派出 %(coverage)s，其中 %(precision)s 正确",
    ),
    "never routes alone": ("從不自動派單", "从不自动派单"),
    "Roll back to this": ("回退到此版本", "回退到此版本"),
    "Promote": ("啟用", "启用"),
    "No routing model was trained yet. Run “massline routing retrain”, or wait for the nightly retraining.": (
        "尚未訓練分派模型。請執行「massline routing retrain」，或等待每晚的重新訓練。",
        "尚未训练分派模型。请执行“massline routing retrain”，或等待每晚的重新训练。",
    ),
    "Coverage and precision of model v%(version)s on held-out requests": (
        "模型 v%(version)s 在留出訴求上的覆蓋率與準確率",
        "模型 v%(version)s 在留出诉求上的覆盖率与准确率",
    ),
    "Level %(level)s": ("第 %(level)s 級", "第 %(level)s 级"),
    "Rolled back to model v%(version)s.": ("已回退到模型 v%(version)s。", "已回退到模型 v%(version)s。"),
    "Model v%(version)s now routes.": ("模型 v%(version)s 已開始分派。", "模型 v%(version)s 已开始分派。"),
    "Better than the model routing then: mean macro-F1 %(ours)s against %(theirs)s on %(n)s held-out requests.": (
        "優於當時分派的模型：在 %(n)s 筆留出訴求上，平均 macro-F1 為 %(ours)s，對方為 %(theirs)s。",
        "优于当时分派的模型：在 %(n)s 条留出诉求上，平均 macro-F1 为 %(ours)s，对方为 %(theirs)s。",
    ),
    "Not better than the model routing then: mean macro-F1 %(ours)s against %(theirs)s on %(n)s held-out requests.": (
        "不優於當時分派的模型：在 %(n)s 筆留出訴求上，平均 macro-F1 為 %(ours)s，對方為 %(theirs)s。",
        "不优于当时分派的模型：在 %(n)s 条留出诉求上，平均 macro-F1 为 %(ours)s，对方为 %(theirs)s。",
    ),
    "No model was routing.": ("當時沒有模型在分派。", "当时没有模型在分派。"),
    "Nothing held out to compare on: the model routing then was kept.": (
        "沒有可比較的留出訴求：保留當時分派的模型。",
        "没有可比较的留出诉求：保留当时分派的模型。",
    ),
    "The file of model v%(version)s is missing.": (
        "模型 v%(version)s 的檔案不見了。",
        "模型 v%(version)s 的文件不见了。",
    ),
    "Model v%(version)s already routes.": ("模型 v%(version)s 已在分派。", "模型 v%(version)s 已在分派。"),
    "A roll-back goes to an earlier model: promote a newer one instead.": (
        "回退只能回到較早的模型：較新的模型請直接啟用。",
        "回退只能回到较早的模型：较新的模型请直接启用。",
    ),
    "promoted": ("已啟用", "已启用"),
    "rolled back": ("已回退", "已回退"),
    "(level %(level)s only — not sure of the sub-category)": (
        "（僅第 %(level)s 級——不確定子分類）",
        "（仅第 %(level)s 级——不确定子分类）",
    ),
}
