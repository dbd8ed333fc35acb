"""The evaluation-report PDF (DESIGN §5 "Scale"): < 2 s, bounded memory.

``purchase_portal.pdf.render_pdf`` renders an evaluation-report-sized document
(about 6 A4 pages of Chinese text and tables: cover, score table of a
4-group indicator tree, an indicator bar chart, findings, a satisfaction
survey, signatures, the digest and page numbers) from a benchmark template
that extends ``pdf/base.html``. The first render (font loading) is reported
apart; the goal is the median of the following ones. Memory: the tracemalloc
peak of one render, and no growth over several (the process's peak RSS, which
includes WeasyPrint's native libraries, is reported too).
"""

from __future__ import annotations

import gc
import hashlib
import io
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

import pytest
from pypdf import PdfReader

from purchase_portal.pdf import render_pdf

TEMPLATE = "benchmarks/evaluation_report.html"
RUNS = 5
TRACED_RUNS = 4
LIMIT_S = 2.0
PEAK_LIMIT_MB = 256
GROWTH_LIMIT_MB = 4

GROUPS = [
    (
        "项目管理",
        20,
        ["组织架构与人员配备", "管理制度建设", "项目计划执行", "档案资料管理", "风险防控"],
    ),
    (
        "服务成效",
        40,
        [
            "服务人次完成情况",
            "康复训练目标达成",
            "家庭照护能力提升",
            "社区融合活动",
            "个案服务质量",
        ],
    ),
    ("财务管理", 20, ["预算执行率", "资金使用合规性", "财务核算规范", "票据与凭证管理"]),
    ("服务对象满意度", 20, ["服务态度", "服务专业性", "服务及时性", "总体满意度"]),
]

SENTENCES = [
    "评估组通过查阅项目档案、实地走访服务点、入户访谈服务对象及其家属、召开座谈会等方式开展评估。",
    "项目执行机构按照合同约定组建了由康复治疗师、社会工作者和志愿者组成的服务团队，人员分工明确。",
    "本期共为辖区内持证残疾人提供入户康复训练一千二百余人次，较年度目标超额完成百分之八。",
    "服务记录完整，每次服务均有签到表、服务日志和照片资料，但部分记录的填写不够规范，需进一步完善。",
    "项目资金按照预算科目使用，支出凭证齐全，未发现挤占、挪用项目资金的情况。",
    "服务对象普遍反映服务人员态度热情、专业能力较强，对康复训练效果给予积极评价。",
    "建议项目执行机构进一步加强对一线服务人员的专业培训，建立服务质量内部督导机制。",
    "评估组同时关注到，部分街道的服务覆盖率偏低，需要与街道残联加强沟通，及时掌握服务需求。",
]


def _paragraph(i: int, n: int = 4) -> str:
    return "".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(n))


def report_context() -> dict:
    groups, total = [], 0.0
    for g, (name, weight, items) in enumerate(GROUPS):
        each = weight / len(items)
        rows = []
        for i, item in enumerate(items):
            score = round(each * (0.78 + 0.04 * ((g + i) % 5)), 1)
            rows.append(
                {
                    "code": f"{g + 1}.{i + 1}",
                    "name": item,
                    "weight": f"{each:.1f}",
                    "max": f"{each:.1f}",
                    "score": f"{score:.1f}",
                    "percent": round(100 * score / each),
                    "guide": _paragraph(g + i, 1),
                }
            )
        got = sum(float(r["score"]) for r in rows)
        total += got
        groups.append(
            {
                "name": name,
                "weight": weight,
                "max": weight,
                "score": f"{got:.1f}",
                "grade": "良好",
                "items": rows,
            }
        )
    digest = hashlib.sha256(b"evaluation report").hexdigest()
    return {
        "labels": {
            "summary": "一、评估概述",
            "scores": "二、指标得分",
            "score_columns": ["指标", "权重", "满分", "得分", "评分说明"],
            "total": "合计",
            "chart": "三、指标得分率",
            "findings": "四、评估发现与建议",
            "satisfaction": "五、服务对象满意度调查",
            "satisfaction_columns": ["街镇", "发放问卷", "回收问卷", "满意", "基本满意", "不满意"],
            "signatures": "六、评估人员签名",
            "signature_columns": ["姓名", "职务", "签名时间", "签名摘要"],
            "digest": "报告SHA-256：",
            "verify": "核验地址：",
        },
        "report": {
            "title": "2026年度社区康复服务项目末期绩效评估报告",
            "number": "PG-2026-0001",
            "contract": "合同编号 HT-2026-0001：徐汇区社区残疾人入户康复服务",
            "cover": [
                ("委托方", "徐汇区残疾人联合会"),
                ("项目执行机构", "上海市徐汇区阳光康复服务中心"),
                ("评估机构", "上海某社会服务评估事务所"),
                ("评估类型", "末期评估"),
                ("评估期间", "2026年1月1日至2026年12月31日"),
                ("报告日期", "2027年1月15日"),
            ],
            "summary": [_paragraph(i) for i in range(3)],
            "groups": groups,
            "total": f"{total:.1f}",
            "grade": "良好",
            "findings": [
                {
                    "title": f"（{i + 1}）{item}",
                    "paragraphs": [_paragraph(i + k, 3) for k in range(2)],
                }
                for i, item in enumerate([it for _, _, items in GROUPS for it in items][:6])
            ],
            "satisfaction": [[f"徐汇区第{i + 1}街道", 60, 57, 48, 7, 2] for i in range(13)],
            "signatures": [
                [name, role, "2027-01-15 10:30", digest[:32]]
                for name, role in [
                    ("王评估", "评估组长"),
                    ("李专家", "康复专家"),
                    ("张会计", "财务专家"),
                    ("赵社工", "社会工作专家"),
                ]
            ],
            "digest": digest,
            "verify_url": "https://portal.example.org/evaluation-reports/verify/" + digest,
        },
    }


@pytest.fixture
def benchmark_templates(settings):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {**engine, "DIRS": [*engine["DIRS"], Path(__file__).parent / "templates"]},
        *settings.TEMPLATES[1:],
    ]


def _render(context: dict) -> tuple[bytes, float]:
    start = time.perf_counter()
    data = render_pdf(TEMPLATE, context, language="zh-hans")
    return data, time.perf_counter() - start


def test_evaluation_report_pdf_renders_in_under_2s_with_bounded_memory(benchmark_templates, report):
    context = report_context()
    first, first_s = _render(context)
    reader = PdfReader(io.BytesIO(first))
    pages = len(reader.pages)
    assert 5 <= pages <= 8, f"{pages} pages: the benchmark document should be about 6"
    assert "评估报告" in reader.pages[0].extract_text()

    times = [_render(context)[1] for _ in range(RUNS)]
    median_s = statistics.median(times)

    # Peak per render; what stays allocated once garbage is collected, from
    # the second traced render on (the first fills WeasyPrint's caches).
    tracemalloc.start()
    peaks, current = [], []
    for _ in range(TRACED_RUNS):
        tracemalloc.reset_peak()
        _render(context)
        peaks.append(tracemalloc.get_traced_memory()[1])
        gc.collect()
        current.append(tracemalloc.get_traced_memory()[0])
    tracemalloc.stop()
    mb = 1024 * 1024
    growth = (current[-1] - current[1]) / mb
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    report(
        f"evaluation report PDF ({pages} pages, {len(first) / 1024:.0f} KiB): first render "
        f"{first_s:.2f} s (excluded), median of {RUNS} {median_s:.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f})"
    )
    report(
        f"memory: tracemalloc peak {max(peaks) / mb:.1f} MiB per render, retained growth over "
        f"{TRACED_RUNS - 1} renders "
        f"{growth:+.2f} MiB; process peak RSS {rss:.0f} MiB"
    )
    assert median_s < LIMIT_S, f"median {median_s:.2f} s"
    assert max(peaks) / mb < PEAK_LIMIT_MB
    assert growth < GROWTH_LIMIT_MB
