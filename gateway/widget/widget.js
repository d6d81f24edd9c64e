/* credit-gateway widget.js: <credit-query-window> (信用查询窗口) and <credit-badge> (shop badge).
   Standard custom elements in Shadow DOM; no framework, no globals. Every request is a GET of a
   trusted document by its SHA-256 (Automatic Persisted Queries), so every answer is
   HTTP-cacheable. Embedding, attributes, theming: docs/WIDGET.md. */
(() => {
  "use strict";
  // operation name → SHA-256 of its trusted document; filled in by the gateway when it serves
  // this file (gateway/widget/script.py), from gateway/trusted/*.graphql
  const DOCUMENTS = /*DOCUMENTS*/ {};
  const script = document.currentScript;
  const DEFAULT_ENDPOINT = new URL("/graphql", script && script.src ? script.src : location.href).href;

  const TEXT = {
    "zh-CN": {
      title: "信用查询", label: "企业名称或统一社会信用代码", placeholder: "输入企业名称或18位统一社会信用代码",
      search: "查询", suggestions: "候选主体", loading: "查询中…", suggesting: "正在查找候选主体…",
      count: (n) => `找到 ${n} 个候选主体，使用上下方向键选择`, none: "没有名称或代码相符的主体",
      notFound: (q) => `未找到“${q}”对应的市场主体`,
      invalid: {
        check: (c) => `统一社会信用代码校验位有误：按 GB 32100-2015 计算，第18位应为“${c}”`,
        length: "统一社会信用代码应为18位", alphabet: "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）",
        other: "统一社会信用代码格式有误",
      },
      limited: (s) => `查询过于频繁，请 ${s} 秒后再试`, offline: "网络已断开，恢复连接后将重新查询",
      failed: "查询服务暂时不可用，请稍后再试", uscc: "统一社会信用代码",
      verified: "已实名核验", unverified: "未实名核验", mark: "核验标识",
      list: { RED: "红名单", BLACK: "黑名单", NONE: "未列入红黑名单" },
      grade: "信用等级", score: "分", reasons: "评级依据", reason: (r) => r.title,
      licenses: "行政许可", noLicenses: "无行政许可记录", validTo: "有效期至",
      licenseStatus: { VALID: "有效", REVOKED: "已撤销", EXPIRED: "已过期", CANCELLED: "已注销" },
      penalties: "公示期内的行政处罚", noPenalties: "公示期内无行政处罚", more: (n) => `共 ${n} 条`,
      severity: { MINOR: "轻微", GENERAL: "一般", SERIOUS: "严重" },
      report: "查看信用报告", badgeLoading: "信用信息加载中…", badgeLabel: "信用信息",
      opens: "（在新窗口打开）",
    },
    en: {
      title: "Credit check", label: "Company name or unified social credit code",
      placeholder: "Company name or 18-character USCC", search: "Search", suggestions: "Matching subjects",
      loading: "Searching…", suggesting: "Looking for matches…",
      count: (n) => `${n} matches, use the up and down arrow keys`, none: "No subject matches",
      notFound: (q) => `No subject found for “${q}”`,
      invalid: {
        check: (c) => `Wrong check character: by GB 32100-2015 the 18th character should be “${c}”`,
        length: "A USCC has 18 characters", alphabet: "A USCC uses digits and letters other than I, O, Z, S, V",
        other: "Not a valid USCC",
      },
      limited: (s) => `Too many searches: try again in ${s} s`, offline: "You are offline: the search resumes when the connection is back",
      failed: "The credit service is unavailable, try again later", uscc: "USCC",
      verified: "Identity verified", unverified: "Identity not verified", mark: "mark",
      list: { RED: "Red list", BLACK: "Black list", NONE: "Not on the red or black list" },
      grade: "Credit grade", score: "points", reasons: "Reasons", reason: (r) => r.summary,
      licenses: "Licences", noLicenses: "No licences on record", validTo: "valid to",
      licenseStatus: { VALID: "valid", REVOKED: "revoked", EXPIRED: "expired", CANCELLED: "cancelled" },
      penalties: "Penalties in publicity", noPenalties: "No penalty in publicity", more: (n) => `${n} in all`,
      severity: { MINOR: "minor", GENERAL: "general", SERIOUS: "serious" },
      report: "Credit report", badgeLoading: "Loading credit information…", badgeLabel: "Credit information",
      opens: " (opens in a new window)",
    },
  };

  const BASE_CSS = `
:host{all:initial;display:block}
:host([hidden]){display:none}
.lang{display:contents}
*{box-sizing:border-box}
.root{font:14px/1.5 var(--credit-font,system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif);
color:var(--credit-fg,#1f2328);background:var(--credit-bg,#fff);border:1px solid var(--credit-border,#d0d7de);
border-radius:var(--credit-radius,10px);text-align:start}
.muted{color:var(--credit-muted,#57606a)}
.chip{display:inline-block;padding:0 8px;border-radius:999px;font-size:12px;line-height:20px;border:1px solid currentColor;white-space:nowrap}
.RED{color:var(--credit-red,#b42318);background:#fff1f0}
.BLACK{color:#fff;background:var(--credit-black,#24292f);border-color:var(--credit-black,#24292f)}
.NONE{color:var(--credit-muted,#57606a)}
.ok{color:var(--credit-ok,#1a7f37)}
.grade{font-weight:700;color:var(--credit-accent,#0b57d0)}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
a{color:var(--credit-accent,#0b57d0)}
:focus-visible{outline:2px solid var(--credit-focus,#0b57d0);outline-offset:2px}
`;

  const WINDOW_CSS = `
.root{padding:16px}
h2{font-size:16px;margin:0 0 8px}
form{display:flex;gap:8px;position:relative}
input{flex:1;min-width:0;font:inherit;color:inherit;background:var(--credit-bg,#fff);padding:8px 12px;
border:1px solid var(--credit-border,#8c959f);border-radius:calc(var(--credit-radius,10px) - 4px)}
button{font:inherit;font-weight:600;padding:8px 18px;border:0;cursor:pointer;color:var(--credit-on-accent,#fff);
background:var(--credit-accent,#0b57d0);border-radius:calc(var(--credit-radius,10px) - 4px)}
[role=listbox]{position:absolute;z-index:10;top:100%;left:0;right:0;margin:4px 0 0;padding:4px;list-style:none;
background:var(--credit-bg,#fff);border:1px solid var(--credit-border,#d0d7de);border-radius:8px;box-shadow:0 8px 24px #0002;max-height:320px;overflow:auto}
[role=option]{padding:6px 10px;border-radius:6px;cursor:pointer;display:flex;justify-content:space-between;gap:12px}
[role=option] small{color:var(--credit-muted,#57606a);font-family:ui-monospace,monospace}
[role=option][aria-selected=true],[role=option]:hover{background:var(--credit-highlight,#e8f0fe)}
.status{min-height:21px;margin:8px 0 0}
.status.error{color:var(--credit-danger,#b42318)}
.card{margin-top:8px;padding-top:12px;border-top:1px solid var(--credit-border,#d0d7de)}
.card h3{font-size:18px;margin:0;display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.card h3:focus{outline:none}
.code{font-family:ui-monospace,monospace;letter-spacing:.5px}
.facts{display:flex;flex-wrap:wrap;gap:6px 16px;margin:6px 0 10px}
h4{font-size:14px;margin:12px 0 4px}
ul.records{margin:0;padding:0;list-style:none}
ul.records li{padding:6px 0;border-bottom:1px dashed var(--credit-border,#d0d7de)}
.report{display:inline-block;margin-top:12px;font-weight:600}
`;

  const BADGE_CSS = `
:host{display:inline-block;max-width:100%;vertical-align:middle}
.root{display:flex;flex-wrap:wrap;align-items:center;gap:4px 6px;padding:4px 10px;text-decoration:none;max-width:100%}
a.root:hover{border-color:var(--credit-accent,#0b57d0)}
.name{font-weight:600;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;flex:1 1 calc(100% - 24px)}
.facts{display:flex;flex-wrap:wrap;align-items:center;gap:4px 8px;font-size:12px}
.shield{color:var(--credit-accent,#0b57d0);width:14px;height:16px;flex:none}
`;
  const SHIELD = `<svg class="shield" viewBox="0 0 14 16" aria-hidden="true"><path fill="currentColor" d="M7 0 0 2.6v5.2C0 11.9 2.9 15 7 16c4.1-1 7-4.1 7-8.2V2.6L7 0Zm-1 11.4L2.6 8l1.3-1.3L6 8.8l4.1-4.1 1.3 1.3L6 11.4Z"/></svg>`;

  const escapeHtml = (value) => String(value ?? "").replace(/[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  /** A refused or failed query: kind is invalid | limited | offline | failed. */
  class Problem extends Error {
    constructor(kind, detail) { super(kind); this.kind = kind; this.detail = detail; }
  }

  /** One trusted document by its hash over GET; resolves to `data`, rejects with a Problem. */
  async function query(endpoint, operation, variables) {
    const url = new URL(endpoint, location.href);
    url.searchParams.set("operationName", operation);
    url.searchParams.set("variables", JSON.stringify(variables));
    url.searchParams.set("extensions", JSON.stringify(
      { persistedQuery: { version: 1, sha256Hash: DOCUMENTS[operation] } }));
    if (navigator.onLine === false) throw new Problem("offline");
    let response;
    try {
      response = await fetch(url, { headers: { accept: "application/json" }, credentials: "omit" });
    } catch (error) {
      throw new Problem(navigator.onLine === false ? "offline" : "failed");
    }
    let body = null;
    try { body = await response.json(); } catch (error) { /* a proxy's page: no GraphQL body */ }
    const errors = (body && body.errors) || [];
    const first = errors[0] && errors[0].extensions ? errors[0].extensions : {};
    if (response.status === 429 || first.code === "RATE_LIMITED") {
      const wait = Number(response.headers.get("Retry-After")) || Number(first.retryAfter) || 60;
      throw new Problem("limited", Math.ceil(wait));
    }
    const invalid = errors.find((e) => e.extensions && e.extensions.code === "INVALID_USCC");
    if (invalid) throw new Problem("invalid", invalid.extensions);
    if (!response.ok || !body || !body.data || errors.length) throw new Problem("failed");
    return body.data;
  }

  const reportUrl = (endpoint, uscc) =>
    new URL(`/report/${encodeURIComponent(uscc)}`, new URL(endpoint, location.href)).href;

  /** The grade (Subject.creditGrade), when the answer carries one; never made up. */
  const gradeHtml = (t, grade) => grade
    ? `<span>${t.grade} <span class="grade">${escapeHtml(grade.grade)}</span>${grade.score != null
      ? ` <span class="muted">${escapeHtml(grade.score)} ${t.score}</span>` : ""}</span>` : "";

  const reasonsHtml = (t, grade) => grade && grade.reasons && grade.reasons.length
    ? `<h4>${t.reasons}</h4><ul class="records">${grade.reasons.map((r) => `<li>${escapeHtml(t.reason(r) || r.rule)}${
      r.clause ? ` <span class="muted">${escapeHtml(r.clause)}</span>` : ""}${
      r.effect != null ? ` <strong>${escapeHtml(r.effect)}</strong>` : ""}</li>`).join("")}</ul>` : "";

  const verificationHtml = (t, v) => v && v.verified
    ? `<span class="ok">✓ ${t.verified}</span>${v.mark ? ` <span class="muted">${t.mark} <span class="code">${escapeHtml(v.mark)}</span></span>` : ""}`
    : `<span class="muted">${t.unverified}</span>`;

  const listHtml = (t, status) => `<span class="chip ${escapeHtml(status)}">${t.list[status] || escapeHtml(status)}</span>`;

  class CreditElement extends HTMLElement {
    get endpoint() { return this.getAttribute("endpoint") || DEFAULT_ENDPOINT; }
    get language() { return this.getAttribute("lang") === "en" ? "en" : "zh-CN"; }
    get text() { return TEXT[this.language]; }
    shadow(css, html) {
      if (!this.shadowRoot) this.attachShadow({ mode: "open" });
      // the language of the labels, for screen readers, whatever the page's own lang
      this.shadowRoot.innerHTML = `<style>${BASE_CSS}${css}</style><div lang="${this.language}" class="lang">${html}</div>`;
      return this.shadowRoot;
    }
    problemText(problem, subject) {
      const t = this.text;
      if (problem.kind === "invalid") {
        const detail = problem.detail || {};
        return detail.reason === "check" && detail.expectedCheckCharacter
          ? t.invalid.check(detail.expectedCheckCharacter) : t.invalid[detail.reason] || t.invalid.other;
      }
      if (problem.kind === "limited") return t.limited(problem.detail);
      if (problem.kind === "notFound") return t.notFound(subject);
      return problem.kind === "offline" ? t.offline : t.failed;
    }
  }

  /** <credit-query-window endpoint lang>: search by name or USCC, suggestions, a result card. */
  class CreditQueryWindow extends CreditElement {
    static get observedAttributes() { return ["lang"]; }
    connectedCallback() { if (!this.input) this.render(); }
    attributeChangedCallback() { if (this.input) this.render(); }

    render() {
      const t = this.text;
      const root = this.shadow(WINDOW_CSS, `<div class="root" part="root">
<h2 id="title">${t.title}</h2>
<form role="search" aria-labelledby="title" novalidate>
<label class="vh" for="q">${t.label}</label>
<input id="q" type="text" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="options"
 autocomplete="off" spellcheck="false" maxlength="100" placeholder="${t.placeholder}" aria-describedby="status">
<button type="submit">${t.search}</button>
<ul id="options" role="listbox" aria-label="${t.suggestions}" hidden></ul>
</form>
<p id="status" class="status" role="status" aria-live="polite"></p>
<section id="result" class="card" aria-labelledby="name" hidden></section>
</div>`);
      this.input = root.getElementById("q");
      this.list = root.getElementById("options");
      this.status = root.getElementById("status");
      this.result = root.getElementById("result");
      this.options = [];
      this.active = -1;
      this.input.addEventListener("input", () => this.typed());
      this.input.addEventListener("keydown", (event) => this.key(event));
      this.input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
      root.querySelector("form").addEventListener("submit", (event) => { event.preventDefault(); this.submit(); });
      this.list.addEventListener("mousedown", (event) => event.preventDefault());  // keep the focus
      this.list.addEventListener("click", (event) => {
        const option = event.target.closest("[role=option]");
        if (option) this.choose(Number(option.dataset.index));
      });
    }

    say(message, error = false) {
      this.status.textContent = message;
      this.status.classList.toggle("error", error);
    }

    typed() {
      clearTimeout(this.timer);
      const text = this.input.value.trim();
      // two characters at least, or one Chinese character (searchSubjects' shortest useful text)
      if (text.length < 2 && !/[^\x00-\x7f]/.test(text)) { this.close(); return; }
      this.timer = setTimeout(() => this.suggest(text), 250);
    }

    async suggest(text) {
      const ticket = (this.ticket = (this.ticket || 0) + 1);
      try {
        const data = await query(this.endpoint, "CreditSuggestions", { text });
        if (ticket !== this.ticket) return;
        this.show(data.searchSubjects);
        this.say(this.options.length ? this.text.count(this.options.length) : this.text.none);
        return this.options;
      } catch (problem) {
        if (ticket !== this.ticket) return;
        this.close();
        this.say(this.problemText(problem), true);
        throw problem;
      }
    }

    show(subjects) {
      this.options = subjects;
      this.active = -1;
      this.list.innerHTML = subjects.map((s, i) =>
        `<li role="option" id="option-${i}" data-index="${i}" aria-selected="false"><span>${escapeHtml(s.name)}</span><small>${escapeHtml(s.uscc)}</small></li>`).join("");
      const open = subjects.length > 0;
      this.list.hidden = !open;
      this.input.setAttribute("aria-expanded", String(open));
      this.input.removeAttribute("aria-activedescendant");
    }

    close() {
      if (!this.list) return;
      this.list.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.input.removeAttribute("aria-activedescendant");
      this.active = -1;
    }

    move(step) {
      if (!this.options.length) return;
      if (this.list.hidden) { this.list.hidden = false; this.input.setAttribute("aria-expanded", "true"); }
      const count = this.options.length;
      this.active = (this.active + step + count + (this.active < 0 && step < 0 ? 1 : 0)) % count;
      this.list.querySelectorAll("[role=option]").forEach((option, i) => {
        option.setAttribute("aria-selected", String(i === this.active));
        if (i === this.active) option.scrollIntoView({ block: "nearest" });
      });
      this.input.setAttribute("aria-activedescendant", `option-${this.active}`);
    }

    key(event) {
      if (event.key === "ArrowDown") { event.preventDefault(); this.move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); this.move(-1); }
      else if (event.key === "Escape") { this.close(); }
      else if (event.key === "Enter" && !this.list.hidden && this.active >= 0) {
        event.preventDefault();
        this.choose(this.active);
      }
    }

    choose(index) {
      const subject = this.options[index];
      if (!subject) return;
      this.input.value = subject.name;
      this.close();
      this.lookUp(subject.uscc, subject.name);
    }

    async submit() {
      clearTimeout(this.timer);
      const text = this.input.value.trim();
      if (!text) { this.input.focus(); return; }
      this.close();
      const code = text.replace(/[\s-]/g, "").toUpperCase();
      // a code-like entry goes to the server, whose INVALID_USCC names what is wrong with it
      if (/^[0-9A-Z]{15,20}$/.test(code) && /\d/.test(code)) { this.lookUp(code, text); return; }
      this.say(this.text.loading);
      let found;
      try { found = await this.suggest(text); } catch (problem) { this.failed(problem, text); return; }
      this.close();
      const exact = found.find((s) => s.name === text) || (found.length === 1 ? found[0] : null);
      if (exact) this.lookUp(exact.uscc, exact.name);
      else if (!found.length) this.failed({ kind: "notFound" }, text);
      else { this.show(found); this.move(1); }
    }

    failed(problem, asked) {
      this.result.hidden = true;
      this.say(this.problemText(problem, asked), true);
      if (problem.kind === "offline" && !this.waiting) {  // search again once back online
        this.waiting = true;
        addEventListener("online", () => { this.waiting = false; this.submit(); }, { once: true });
      }
    }

    async lookUp(uscc, asked) {
      const ticket = (this.ticket = (this.ticket || 0) + 1);
      this.say(this.text.loading);
      this.result.setAttribute("aria-busy", "true");
      try {
        const data = await query(this.endpoint, "CreditWidget", { uscc });
        if (ticket !== this.ticket) return;
        if (!data.subject) { this.failed({ kind: "notFound" }, asked); return; }
        this.card(data.subject);
        this.say("");
        this.result.querySelector("h3").focus();
      } catch (problem) {
        if (ticket === this.ticket) this.failed(problem, asked);
      } finally {
        this.result.removeAttribute("aria-busy");
      }
    }

    card(s) {
      const t = this.text;
      const licenses = s.licenses || { totalCount: 0, edges: [] };
      const penalties = s.penalties || { totalCount: 0, edges: [] };
      const more = (c) => c.totalCount > c.edges.length ? ` <span class="muted">${t.more(c.totalCount)}</span>` : "";
      this.result.innerHTML = `
<h3 id="name" tabindex="-1">${escapeHtml(s.name)} ${listHtml(t, s.listStatus)}</h3>
<div class="facts"><span>${t.uscc} <span class="code">${escapeHtml(s.uscc)}</span></span>
<span>${verificationHtml(t, s.verification)}</span>${gradeHtml(t, s.creditGrade)}</div>
${reasonsHtml(t, s.creditGrade)}
<h4>${t.licenses}${more(licenses)}</h4>
${licenses.edges.length ? `<ul class="records">${licenses.edges.map(({ node: l }) => `<li>${escapeHtml(l.certificateName)}
<span class="chip ${l.status === "VALID" ? "ok" : "NONE"}">${t.licenseStatus[l.status] || escapeHtml(l.status)}</span>
<div class="muted"><span class="code">${escapeHtml(l.licenseNumber)}</span> · ${escapeHtml(l.authority)}${l.validTo ? ` · ${t.validTo} ${escapeHtml(l.validTo)}` : ""}</div></li>`).join("")}</ul>`
    : `<p class="muted">${t.noLicenses}</p>`}
<h4>${t.penalties}${more(penalties)}</h4>
${penalties.edges.length ? `<ul class="records">${penalties.edges.map(({ node: p }) => `<li>${escapeHtml(p.content)}
<span class="chip RED">${t.severity[p.severity] || escapeHtml(p.severity)}</span>
<div class="muted">${escapeHtml(p.decisionNumber)} · ${escapeHtml(p.authority)} · ${escapeHtml(p.decisionDate)}</div></li>`).join("")}</ul>`
    : `<p class="muted">${t.noPenalties}</p>`}
<a class="report" href="${escapeHtml(reportUrl(this.endpoint, s.uscc))}" target="_blank" rel="noopener">${t.report} →<span class="vh">${t.opens}</span></a>`;
      this.result.hidden = false;
    }
  }

  /** <credit-badge uscc endpoint lang>: a shop's name, verification, grade and list standing. */
  class CreditBadge extends CreditElement {
    static get observedAttributes() { return ["uscc", "lang", "endpoint"]; }
    connectedCallback() { this.load(); }
    attributeChangedCallback() { if (this.isConnected && this.shadowRoot) this.load(); }

    async load() {
      const t = this.text;
      const uscc = (this.getAttribute("uscc") || "").trim();
      const ticket = (this.ticket = (this.ticket || 0) + 1);
      this.shadow(BADGE_CSS, `<span class="root muted" role="status">${t.badgeLoading}</span>`);
      try {
        const data = await query(this.endpoint, "CreditBadge", { uscc });
        if (ticket !== this.ticket) return;
        if (!data.subject) throw { kind: "notFound" };
        const s = data.subject;
        const v = s.verification || {};
        this.shadow(BADGE_CSS, `<a class="root" part="root" href="${escapeHtml(reportUrl(this.endpoint, s.uscc))}" target="_blank" rel="noopener">
${SHIELD}<span class="vh">${t.badgeLabel}：</span><span class="name">${escapeHtml(s.name)}</span>
<span class="facts">${v.verified ? `<span class="ok" title="${t.mark} ${escapeHtml(v.mark)}">✓ ${t.verified}</span>` : `<span class="muted">${t.unverified}</span>`}
${gradeHtml(t, s.creditGrade)}${listHtml(t, s.listStatus)}</span><span class="vh">${t.report}${t.opens}</span></a>`);
      } catch (problem) {
        if (ticket === this.ticket) {
          this.shadow(BADGE_CSS, `<span class="root muted" role="status">${escapeHtml(this.problemText(problem, uscc))}</span>`);
        }
      }
    }
  }

  for (const [name, element] of [["credit-query-window", CreditQueryWindow], ["credit-badge", CreditBadge]]) {
    if (!customElements.get(name)) customElements.define(name, element);
  }
})();
