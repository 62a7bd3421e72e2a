// newsdesk chat page. Plain browser JavaScript, no build step, nothing loaded from outside the server.
//
// Everything the server sends (answers, quotes, article titles and text) is untrusted: the DOM is
// built with createElement/textContent only (nothing is ever parsed as HTML), and links are kept
// only when they are http(s).
"use strict";

(() => {
  const API_KEY_STORAGE = "newsdesk.apiKey";
  const CONTEXT_CHARS = 200; // shown on each side of a quote when its card is opened
  const ARTICLE_LIST_LIMIT = 200;
  const NEW_TAB = { target: "_blank", rel: "noopener noreferrer" };
  const ADDED_STATUS = { added: "Added", replaced: "Replaced", unchanged: "Already indexed, unchanged:" };

  const $ = (id) => document.getElementById(id);
  const ui = {
    messages: $("messages"),
    welcome: $("welcome"),
    askForm: $("ask-form"),
    question: $("question"),
    send: $("send"),
    newChat: $("new-chat"),
    panel: $("side-panel"),
    panelToggle: $("panel-toggle"),
    panelClose: $("panel-close"),
    backdrop: $("panel-backdrop"),
    articleList: $("article-list"),
    articleCount: $("article-count"),
    articleListStatus: $("article-list-status"),
    refreshArticles: $("refresh-articles"),
    addSection: $("add-article"),
    articleForm: $("article-form"),
    articleFile: $("article-file"),
    articleTitle: $("article-title"),
    articleText: $("article-text"),
    articleDate: $("article-date"),
    articleSource: $("article-source"),
    articleUrl: $("article-url"),
    articleSubmit: $("article-submit"),
    articleFormStatus: $("article-form-status"),
    apiKeySection: $("api-key-section"),
    apiKey: $("api-key"),
  };

  // ---------------------------------------------------------------- DOM helpers

  /** Create an element; `text` sets textContent, other props become attributes; strings in
   *  `children` become text nodes. */
  function el(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "className") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of [].concat(children)) {
      if (child !== null && child !== undefined && child !== "") node.append(child);
    }
    return node;
  }

  /** `text` with text[start, end) wrapped in <mark>, as nodes. */
  function marked(text, start, end, markClass) {
    if (!(start >= 0 && end > start && end <= text.length)) return [text];
    return [text.slice(0, start), el("mark", { className: markClass, text: text.slice(start, end) }), text.slice(end)];
  }

  /** The URL if it is an absolute http(s) link, else null (no javascript:, data: ...). */
  function safeUrl(url) {
    if (!url) return null;
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch {
      return null;
    }
  }

  function formatDate(value) {
    if (!value) return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    const date = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return value;
    return date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  }

  const normalised = (question) => question.trim().replace(/\s+/g, " ").toLowerCase();
  const sameQuestion = (a, b) => normalised(a) === normalised(b);

  // ---------------------------------------------------------------- HTTP

  class RequestError extends Error {
    constructor(message, status = 0) {
      super(message);
      this.name = "RequestError";
      this.status = status;
    }
  }

  async function errorFromResponse(response) {
    let detail = null;
    try {
      detail = (await response.json()).detail;
    } catch {
      // not JSON: fall back to the status line
    }
    if (Array.isArray(detail)) {
      detail = detail
        .map((item) => {
          const where = Array.isArray(item.loc) ? item.loc.filter((part) => part !== "body").join(".") : "";
          return where ? `${where}: ${item.msg}` : String(item.msg);
        })
        .join("; ");
    }
    const text = typeof detail === "string" && detail ? detail : `${response.status} ${response.statusText}`.trim();
    if (response.status === 401) {
      return new RequestError(`API key needed: ${text}. Enter it under “API key” in the articles panel.`, 401);
    }
    return new RequestError(`The server said: ${text} (HTTP ${response.status})`, response.status);
  }

  /** fetch() that throws a RequestError with a readable message on HTTP and network errors. */
  async function request(path, { method = "GET", json, form, write = false, signal } = {}) {
    const headers = json === undefined ? {} : { "Content-Type": "application/json" };
    const key = sessionStorage.getItem(API_KEY_STORAGE);
    // Sent on every request when given: a server that protects reads needs it for questions too.
    if (key) headers["X-API-Key"] = key;
    let response;
    try {
      const body = form !== undefined ? form : json === undefined ? undefined : JSON.stringify(json);
      response = await fetch(path, { method, headers, signal, body });
    } catch (error) {
      if (error.name === "AbortError") throw error;
      throw new RequestError(`Could not reach the server (${error.message}). Check that newsdesk is running.`);
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  const articleCache = new Map(); // id -> Promise of the article, for quote contexts

  function getArticle(id) {
    if (!articleCache.has(id)) {
      const loading = request(`/articles/${encodeURIComponent(id)}`).then((response) => response.json());
      loading.catch(() => articleCache.delete(id));
      articleCache.set(id, loading);
    }
    return articleCache.get(id);
  }

  // ---------------------------------------------------------------- server-sent events

  function parseEvent(block) {
    let name = "message";
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") name = value;
      else if (field === "data") data.push(value);
    }
    return data.length ? { name, data: JSON.parse(data.join("\n")) } : null;
  }

  /** Yield {name, data} for each event of a text/event-stream response body. */
  async function* readEvents(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
      let match;
      while ((match = /\r?\n\r?\n/.exec(buffer)) !== null) {
        const event = parseEvent(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
        if (event) yield event;
      }
      if (done) break;
    }
    const last = buffer.trim() ? parseEvent(buffer) : null;
    if (last) yield last;
  }

  // ---------------------------------------------------------------- chat

  const chat = { conversationId: null, controller: null, busy: false };
  let contextIds = 0;
  let turnIds = 0;

  /** Bring the question to the top of the conversation, so its answer is read from the start. */
  function showTurn(turn) {
    turn.root.scrollIntoView({ block: "start" });
  }

  /** One question and its reply in the conversation, filled in as events arrive. */
  class Turn {
    constructor(message) {
      this.message = message;
      this.shortAnswer = null;
      this.searched = el("p", { className: "searched", hidden: true });
      this.answerBody = el("div", { className: "answer-body" }, [
        el("p", { className: "pending" }, [
          el("span", { className: "spinner", "aria-hidden": "true" }),
          "Searching the articles…",
        ]),
      ]);
      this.quoteList = el("ol", { className: "quotes" });
      this.quotesHeading = el("h3", { className: "quotes-heading", text: "Quotes" });
      this.quotesBlock = el("div", { className: "quotes-block", hidden: true }, [this.quotesHeading, this.quoteList]);
      this.id = ++turnIds;
      this.quoteCount = 0;
      this.query = message;
      this.timelineBox = el("section", { className: "timeline", id: `timeline-${this.id}`, hidden: true, "aria-label": "Timeline" });
      this.timelineButton = el("button", {
        type: "button",
        className: "button button-small timeline-toggle",
        hidden: true,
        "aria-expanded": "false",
        "aria-controls": this.timelineBox.id,
        text: "Show timeline",
      });
      this.timelineButton.addEventListener("click", () => toggleTimeline(this.query, this.timelineButton, this.timelineBox));
      this.reply = el("section", { className: "reply is-pending", "aria-label": "Answer", "aria-busy": "true" }, [
        this.searched,
        this.answerBody,
        this.quotesBlock,
        this.timelineButton,
        this.timelineBox,
      ]);
      this.root = el("article", { className: "turn" }, [
        el("div", { className: "question-row" }, [
          el("p", { className: "user-message" }, [
            el("span", { className: "visually-hidden", text: "You asked: " }),
            el("span", { className: "user-text", text: message }),
          ]),
        ]),
        this.reply,
      ]);
    }

    showInterpretation(question) {
      if (question) this.query = question;
      if (question && !sameQuestion(question, this.message)) {
        this.searched.textContent = `Searched: ${question}`;
        this.searched.hidden = false;
      }
    }

    /** One sentence of a composed answer, shown as it arrives (the `answer` event then shows the whole). */
    addSentence({ number, text }) {
      if (!this.composed) {
        this.composed = el("p", { className: "answer-text composed" });
        this.reply.classList.remove("is-pending");
        this.answerBody.replaceChildren(this.composed);
      }
      this.composed.append(...citedSentence(text, number, this.id, this.composed.childNodes.length > 0));
    }

    showAnswer({ answer, confidence, short_answer: shortAnswer, message, answer_kind: kind, citations, changes, disagreements }) {
      this.shortAnswer = shortAnswer || null;
      this.reply.classList.remove("is-pending");
      this.timelineButton.hidden = false;
      const percent = typeof confidence === "number" ? `${Math.round(confidence * 100)}%` : null;
      if (answer === null || answer === undefined) {
        this.reply.classList.add("no-answer");
        this.quotesHeading.textContent = "Closest quotes (they do not answer the question)";
        this.answerBody.replaceChildren(
          el("p", { className: "badge badge-muted", text: "No supported answer" }),
          el("p", { className: "answer-text", text: message || "The indexed articles do not support an answer." }),
        );
        return;
      }
      this.reply.classList.add("has-answer");
      const at = shortAnswer && shortAnswer.text ? answer.indexOf(shortAnswer.text) : -1;
      const end = at + (shortAnswer ? shortAnswer.text.length : 0);
      const composed = kind === "composed" && citations && citations.length;
      this.answerBody.replaceChildren(
        ...[
          composed
            ? el("p", { className: "answer-text composed" }, composedAnswer(answer, citations, this.id))
            : el("p", { className: "answer-text" }, marked(answer, at, end, "short-answer")),
          percent ? el("p", { className: "answer-meta", text: `Confidence ${percent}` }) : null,
          message ? el("p", { className: "answer-meta", text: message }) : null,
          ...storyNodes(changes, disagreements),
        ].filter(Boolean),
      );
    }

    addQuote(quote) {
      this.quotesBlock.hidden = false;
      const card = quoteCard(quote, this.shortAnswer);
      card.id = `quote-${this.id}-${++this.quoteCount}`;
      this.quoteList.append(card);
    }

    finish() {
      this.reply.removeAttribute("aria-busy");
      if (this.reply.classList.contains("is-pending")) {
        this.showError("The server finished without an answer. Please ask again.");
      }
    }

    showError(text) {
      this.reply.removeAttribute("aria-busy");
      this.reply.classList.remove("is-pending");
      this.reply.classList.add("is-error");
      const line = el("p", { className: "error-line", role: "alert", text });
      if (this.answerBody.querySelector(".pending")) this.answerBody.replaceChildren(line);
      else this.reply.append(line);
    }
  }

  function quoteCard(quote, shortAnswer) {
    const inQuote =
      shortAnswer &&
      shortAnswer.article_id === quote.article_id &&
      shortAnswer.start >= quote.start &&
      shortAnswer.end <= quote.end;
    const textNodes = inQuote
      ? marked(quote.text, shortAnswer.start - quote.start, shortAnswer.end - quote.start, "short-answer")
      : [quote.text];
    const contextId = `quote-context-${++contextIds}`;
    const link = safeUrl(quote.url);
    const meta = [quote.source, formatDate(quote.published)].filter(Boolean).join(" · ");

    const toggle = el(
      "button",
      {
        type: "button",
        className: "quote-text",
        "aria-expanded": "false",
        "aria-controls": contextId,
        title: "Show the passage around this quote",
      },
      [
        el("span", { className: "quote-sentence" }, textNodes),
        el("span", { className: "quote-more", "aria-hidden": "true" }), // its words come from the CSS
      ],
    );
    const context = el("div", { className: "quote-context", id: contextId, hidden: true });
    const card = el("li", { className: "quote-card" }, [
      el("div", { className: "quote-head" }, [
        el("span", { className: "quote-title", text: quote.title }),
        meta ? el("span", { className: "quote-meta", text: meta }) : null,
        link
          ? el("a", {
              className: "quote-link",
              href: link,
              ...NEW_TAB,
              "aria-label": `Open the article “${quote.title}” in a new tab`,
              text: "Open article ↗",
            })
          : null,
      ]),
      toggle,
      quote.also_reported_by && quote.also_reported_by.length
        ? el("p", { className: "also-reported", text: `Also reported by ${quote.also_reported_by.join(", ")}` })
        : null,
      context,
    ]);
    card.addEventListener("click", (event) => {
      if (event.target.closest("a, .quote-context")) return;
      toggleContext(quote, toggle, context);
    });
    return card;
  }

  // ---------------------------------------------------------------- following a story

  /** A cited sentence: the verbatim text, then its mark linking to quote card `number` of the turn. */
  function citedSentence(text, number, turnId, spaced) {
    const mark = el("a", {
      className: "cite",
      href: `#quote-${turnId}-${number}`,
      "aria-label": `Source ${number}`,
      text: `[${number}]`,
    });
    return [spaced ? " " : "", el("span", { className: "cited-sentence", text }), " ", mark];
  }

  /** A composed answer's nodes: each cited sentence (answer[start:end]) with its [n] linked to its quote. */
  function composedAnswer(answer, citations, turnId) {
    return citations.flatMap((citation, index) =>
      citedSentence(answer.slice(citation.start, citation.end), citation.quote + 1, turnId, index > 0),
    );
  }

  const whoAndWhen = (quote) => [quote.source || quote.title, formatDate(quote.published)].filter(Boolean).join(" · ");

  /** Earlier reports of the answer's value, and values sources disagree on, side by side. */
  function storyNodes(changes, disagreements) {
    const nodes = [];
    if (changes && changes.length) {
      nodes.push(
        el("div", { className: "story-changes" }, [
          el("p", { className: "story-heading", text: "Earlier reports" }),
          el(
            "ul",
            { className: "change-list" },
            changes.map((change) =>
              el("li", { className: "change" }, [
                el("span", { className: "story-value", text: change.value }),
                el("span", { className: "story-meta", text: whoAndWhen({ ...change.quote, published: change.published }) }),
                el("q", { className: "story-quote", text: change.quote.text }),
              ]),
            ),
          ),
        ]),
      );
    }
    if (disagreements && disagreements.length) {
      nodes.push(
        el("div", { className: "story-disagreements" }, [
          el("p", { className: "story-heading", text: "Sources differ" }),
          el(
            "div",
            { className: "disagreement-grid" },
            disagreements.map((disagreement) =>
              el("div", { className: "disagreement" }, [
                el("p", { className: "story-value", text: disagreement.value }),
                ...disagreement.quotes.map((quote) =>
                  el("p", { className: "disagreement-quote" }, [
                    el("span", { className: "story-meta", text: whoAndWhen(quote) }),
                    el("q", { className: "story-quote", text: quote.text }),
                  ]),
                ),
              ]),
            ),
          ),
        ]),
      );
    }
    return nodes;
  }

  async function toggleTimeline(query, button, box) {
    const opening = box.hidden;
    box.hidden = !opening;
    button.setAttribute("aria-expanded", String(opening));
    button.textContent = opening ? "Hide timeline" : "Show timeline";
    if (!opening || box.dataset.loaded) return;
    box.replaceChildren(el("p", { className: "muted", text: "Loading the timeline…" }));
    try {
      const response = await request(`/timeline?${new URLSearchParams({ q: query })}`);
      box.replaceChildren(...timelineNodes(await response.json()));
      box.dataset.loaded = "true";
    } catch (error) {
      box.replaceChildren(el("p", { className: "error-line", text: `Could not load the timeline. ${error.message}` }));
    }
  }

  /** The timeline grouped by day, oldest first; each entry a quote with its article and source. */
  function timelineNodes(body) {
    if (!body.days.length) return [el("p", { className: "muted", text: "No dated article is about this." })];
    const entry = (quote) => {
      const link = safeUrl(quote.url);
      const also = quote.also_reported_by.length ? ` · also reported by ${quote.also_reported_by.join(", ")}` : "";
      return el("li", { className: "timeline-entry", "data-article": quote.article_id }, [
        el("q", { className: "story-quote", text: quote.text }),
        el("p", { className: "story-meta" }, [
          link ? el("a", { href: link, ...NEW_TAB, text: quote.title }) : quote.title,
          quote.source ? ` · ${quote.source}` : "",
          also,
        ]),
      ]);
    };
    return [
      el("h3", { className: "timeline-heading", text: `Timeline: ${body.query}` }),
      el(
        "ol",
        { className: "timeline-days" },
        body.days.map((day) =>
          el("li", { className: "timeline-day", "data-date": day.date }, [
            el("h4", { className: "timeline-date", text: formatDate(day.date) }),
            el("ul", { className: "timeline-entries" }, day.entries.map(entry)),
          ]),
        ),
      ),
    ];
  }

  async function toggleContext(quote, toggle, box) {
    const opening = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(opening));
    box.hidden = !opening;
    if (!opening || box.dataset.loaded) return;
    box.replaceChildren(el("p", { className: "muted", text: "Loading the passage…" }));
    try {
      const article = await getArticle(quote.article_id);
      box.replaceChildren(...passage(article.text, quote));
      box.dataset.loaded = "true";
    } catch (error) {
      box.replaceChildren(el("p", { className: "error-line", text: `Could not load the article. ${error.message}` }));
    }
  }

  /** About CONTEXT_CHARS characters on each side of the quote, cut at spaces, the quote marked. */
  function passage(text, quote) {
    let from = Math.max(0, quote.start - CONTEXT_CHARS);
    let to = Math.min(text.length, quote.end + CONTEXT_CHARS);
    if (from > 0) {
      const space = text.indexOf(" ", from);
      if (space !== -1 && space < quote.start) from = space + 1;
    }
    if (to < text.length) {
      const space = text.lastIndexOf(" ", to);
      if (space > quote.end) to = space;
    }
    const nodes = [
      el("p", { className: "context-label", text: "In the article" }),
      el("p", { className: "context-text" }, [
        from > 0 ? "… " : "",
        text.slice(from, quote.start),
        el("mark", { className: "context-quote", text: text.slice(quote.start, quote.end) }),
        text.slice(quote.end, to),
        to < text.length ? " …" : "",
      ]),
    ];
    if (text.slice(quote.start, quote.end) !== quote.text) {
      nodes.push(el("p", { className: "muted", text: "This article has changed since the answer was given." }));
    }
    return nodes;
  }

  async function ask(message) {
    ui.welcome.hidden = true;
    const turn = new Turn(message);
    ui.messages.append(turn.root);
    showTurn(turn);
    const controller = new AbortController();
    chat.controller = controller;
    setBusy(true);
    const body = chat.conversationId ? { conversation_id: chat.conversationId, message } : { message };
    let finished = false;
    try {
      const response = await request("/chat/stream", { method: "POST", json: body, signal: controller.signal });
      for await (const event of readEvents(response)) {
        if (event.name === "interpretation") {
          chat.conversationId = event.data.conversation_id;
          turn.showInterpretation(event.data.interpreted_question);
        } else if (event.name === "sentence") {
          turn.addSentence(event.data);
        } else if (event.name === "answer") {
          turn.showAnswer(event.data);
          showTurn(turn);
        } else if (event.name === "quote") {
          turn.addQuote(event.data);
          showTurn(turn); // moves up as the quotes fill the space below it
        } else if (event.name === "done") {
          chat.conversationId = event.data.conversation_id;
          finished = true;
        } else if (event.name === "error") {
          throw new RequestError(`The server could not answer: ${event.data.detail || "unknown error"}`);
        }
      }
      if (!finished) throw new RequestError("The answer was cut off before it finished. Please ask again.");
      turn.finish();
    } catch (error) {
      if (error.name === "AbortError") return;
      let text =
        error instanceof RequestError ? error.message : `Something went wrong reading the answer (${error.message}).`;
      if (error.status === 404 && chat.conversationId) {
        chat.conversationId = null;
        text += " Your next question starts a new chat.";
      }
      turn.showError(text);
      turn.reply.scrollIntoView({ block: "nearest" });
    } finally {
      if (chat.controller === controller) {
        chat.controller = null;
        setBusy(false);
      }
    }
  }

  function setBusy(busy) {
    chat.busy = busy;
    ui.send.disabled = busy;
    ui.askForm.setAttribute("aria-busy", String(busy));
  }

  function submitQuestion() {
    const message = ui.question.value.trim();
    if (!message || chat.busy) return;
    ui.question.value = "";
    fitQuestionBox();
    ui.question.focus();
    ask(message);
  }

  function newChat() {
    if (chat.controller) chat.controller.abort();
    chat.controller = null;
    chat.conversationId = null;
    setBusy(false);
    ui.messages.replaceChildren(ui.welcome);
    ui.welcome.hidden = false;
    ui.question.value = "";
    fitQuestionBox();
    ui.question.focus();
  }

  function fitQuestionBox() {
    ui.question.style.height = "auto";
    ui.question.style.height = `${Math.min(ui.question.scrollHeight, 200)}px`;
  }

  // ---------------------------------------------------------------- articles panel

  function setStatus(node, text, kind = "info") {
    node.textContent = text;
    node.dataset.kind = kind;
  }

  function showApiKeyField() {
    ui.apiKeySection.open = true;
  }

  async function loadArticles() {
    setStatus(ui.articleListStatus, "Loading articles…");
    try {
      const body = await (await request(`/articles?limit=${ARTICLE_LIST_LIMIT}`)).json();
      ui.articleList.replaceChildren(...body.articles.map(articleItem));
      ui.articleCount.textContent = String(body.total);
      if (body.total === 0) setStatus(ui.articleListStatus, "No articles yet. Add one below.");
      else if (body.total > body.articles.length) {
        setStatus(ui.articleListStatus, `Showing the newest ${body.articles.length} of ${body.total}.`);
      }
      else setStatus(ui.articleListStatus, "");
    } catch (error) {
      setStatus(ui.articleListStatus, `Could not load the articles. ${error.message}`, "error");
    }
  }

  function articleItem(article) {
    const link = safeUrl(article.url);
    const meta = [formatDate(article.published), article.source].filter(Boolean).join(" · ");
    const remove = el("button", {
      type: "button",
      className: "button button-small button-danger",
      "aria-label": `Remove article: ${article.title}`,
      text: "Remove",
    });
    remove.addEventListener("click", () => removeArticle(article, remove));
    return el("li", { className: "article-item", "data-article-id": article.id }, [
      el("div", { className: "article-info" }, [
        link
          ? el("a", { className: "article-title", href: link, ...NEW_TAB, text: article.title })
          : el("span", { className: "article-title", text: article.title }),
        meta ? el("span", { className: "article-meta", text: meta }) : null,
      ]),
      remove,
    ]);
  }

  async function removeArticle(article, button) {
    if (!window.confirm(`Remove “${article.title}” from the index?`)) return;
    button.disabled = true;
    try {
      await request(`/articles/${encodeURIComponent(article.id)}`, { method: "DELETE", write: true });
      articleCache.delete(article.id);
      await loadArticles();
      setStatus(ui.articleListStatus, `Removed “${article.title}”.`, "ok");
    } catch (error) {
      button.disabled = false;
      setStatus(ui.articleListStatus, error.message, "error");
      if (error.status === 401) showApiKeyField();
    }
  }

  async function addArticle(event) {
    event.preventDefault();
    const title = ui.articleTitle.value.trim();
    const text = ui.articleText.value.trim();
    if (!title || !text) {
      setStatus(ui.articleFormStatus, "An article needs a title and a text.", "error");
      return;
    }
    const article = { title, text };
    if (ui.articleUrl.value.trim()) article.url = ui.articleUrl.value.trim();
    if (ui.articleDate.value) article.published = ui.articleDate.value;
    if (ui.articleSource.value.trim()) article.source = ui.articleSource.value.trim();
    ui.articleSubmit.disabled = true;
    setStatus(ui.articleFormStatus, "Adding…");
    try {
      const body = await (await request("/articles", { method: "POST", json: article, write: true })).json();
      const added = body.articles[0];
      articleCache.delete(added.id);
      const what = ADDED_STATUS[added.status] || "Stored";
      ui.articleForm.reset();
      await loadArticles();
      const passages = `${added.passages} passage${added.passages === 1 ? "" : "s"}`;
      setStatus(ui.articleFormStatus, `${what} “${added.title}” (${passages}).`, "ok");
    } catch (error) {
      setStatus(ui.articleFormStatus, error.message, "error");
      if (error.status === 401) showApiKeyField();
    } finally {
      ui.articleSubmit.disabled = false;
    }
  }

  // What POST /articles/fetch and /articles/upload did, item by item, in one line.
  function describeItems(items) {
    const kept = items.filter((item) => item.status !== "skipped");
    const skipped = items.filter((item) => item.status === "skipped");
    const parts = [];
    if (kept.length === 1) parts.push(`${ADDED_STATUS[kept[0].status] || "Stored"} “${kept[0].title}”.`);
    else if (kept.length) parts.push(`Stored ${kept.length} articles (${kept.filter((i) => i.status !== "unchanged").length} new or changed).`);
    if (skipped.length) parts.push(`Skipped ${skipped.length}: ${skipped[0].reason}`);
    return { text: parts.join(" ") || "Nothing to add.", ok: kept.length > 0 };
  }

  async function uploadArticleFile(file) {
    const form = new FormData();
    form.append("files", file, file.name);
    setStatus(ui.articleFormStatus, `Adding “${file.name}”…`);
    try {
      const body = await (await request("/articles/upload", { method: "POST", form, write: true })).json();
      const { text, ok } = describeItems(body.items);
      ui.articleFile.value = "";
      await loadArticles();
      setStatus(ui.articleFormStatus, text, ok ? "ok" : "error");
    } catch (error) {
      setStatus(ui.articleFormStatus, error.message, "error");
      if (error.status === 401) showApiKeyField();
    }
  }

  async function fetchFromWeb(event) {
    event.preventDefault();
    const url = $("fetch-url").value.trim();
    const follow = $("fetch-follow").checked;
    const status = $("fetch-status");
    $("fetch-submit").disabled = true;
    setStatus(status, follow ? "Following…" : "Fetching…");
    try {
      if (follow) {
        await request("/feeds", { method: "POST", json: { url }, write: true });
        setStatus(status, "Following the feed: its entries are added in the background, and new ones as they come.", "ok");
      } else {
        const body = await (await request("/articles/fetch", { method: "POST", json: { urls: [url] }, write: true })).json();
        const { text, ok } = describeItems(body.items);
        setStatus(status, text, ok ? "ok" : "error");
      }
      $("fetch-form").reset();
      await loadArticles();
    } catch (error) {
      setStatus(status, error.message, "error");
      if (error.status === 401) showApiKeyField();
    } finally {
      $("fetch-submit").disabled = false;
    }
  }

  async function readArticleFile() {
    const file = ui.articleFile.files && ui.articleFile.files[0];
    if (!file) return;
    if (!/\.(txt|md|markdown)$/i.test(file.name)) {
      await uploadArticleFile(file);
      return;
    }
    try {
      const content = (await file.text()).replace(/^\uFEFF/, "");
      const lines = content.split(/\r?\n/);
      const first = lines.findIndex((line) => line.trim() !== "");
      const title = first === -1 ? "" : lines[first].trim().replace(/^#+\s*/, "");
      const text = first === -1 ? "" : lines.slice(first + 1).join("\n").trim();
      if (!title || !text) {
        const problem = `“${file.name}” needs a title on its first line and the text below it.`;
        setStatus(ui.articleFormStatus, problem, "error");
        return;
      }
      ui.articleTitle.value = title;
      ui.articleText.value = text;
      setStatus(ui.articleFormStatus, `Read “${file.name}”. Check the fields, then press “Add article”.`);
    } catch (error) {
      setStatus(ui.articleFormStatus, `Could not read “${file.name}”: ${error.message}`, "error");
    }
  }

  // ---------------------------------------------------------------- side panel on narrow screens

  function setPanelOpen(open) {
    document.body.classList.toggle("panel-open", open);
    ui.panelToggle.setAttribute("aria-expanded", String(open));
    ui.backdrop.hidden = !open;
    if (open) ui.panelClose.focus();
  }

  // ---------------------------------------------------------------- wiring

  ui.askForm.addEventListener("submit", (event) => {
    event.preventDefault();
    submitQuestion();
  });
  ui.question.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submitQuestion();
    }
  });
  ui.question.addEventListener("input", fitQuestionBox);
  ui.newChat.addEventListener("click", newChat);

  ui.panelToggle.addEventListener("click", () => setPanelOpen(!document.body.classList.contains("panel-open")));
  ui.panelClose.addEventListener("click", () => {
    setPanelOpen(false);
    ui.panelToggle.focus();
  });
  ui.backdrop.addEventListener("click", () => setPanelOpen(false));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && document.body.classList.contains("panel-open")) {
      setPanelOpen(false);
      ui.panelToggle.focus();
    }
  });

  ui.refreshArticles.addEventListener("click", loadArticles);
  ui.articleForm.addEventListener("submit", addArticle);
  ui.articleFile.addEventListener("change", readArticleFile);
  $("fetch-form").addEventListener("submit", fetchFromWeb);
  $("api-key-form").addEventListener("submit", (event) => event.preventDefault());
  ui.apiKey.value = sessionStorage.getItem(API_KEY_STORAGE) || "";
  ui.apiKey.addEventListener("input", () => {
    const key = ui.apiKey.value.trim();
    if (key) sessionStorage.setItem(API_KEY_STORAGE, key);
    else sessionStorage.removeItem(API_KEY_STORAGE);
  });

  loadArticles();
  ui.question.focus();
})();
