"""The app's stylesheet, injected once as a <style> element (Voilà's theme override is off)."""

CSS = """
.pl-app { max-width: 1100px; margin: 0 auto; padding: 0 12px 48px;
  font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif;
  font-size: 15px; color: #1f2937; }
.pl-app h2 { font-size: 1.35em; margin: 10px 0 2px; }
.pl-app h3 { font-size: 1.1em; margin: 14px 0 6px; border-left: 4px solid #2563eb; padding-left: 8px; }
.pl-app h3 small { font-weight: normal; color: #4b5563; margin-left: 8px; }
.pl-top { border-bottom: 1px solid #e5e7eb; padding-bottom: 6px; }
/* Lumino gives every widget and output box overflow auto/hidden, which breaks `sticky`: open the
   boxes between the budget bar and Voilà's scrolling #rendered_cells so the bar stays in view. */
#rendered_cells *:has(.pl-budget), .pl-app { overflow: visible !important; }
/* a sticky box stops at its scroller's padding: Voilà's 10px above the bar showed a strip of the table */
#rendered_cells:has(.pl-budget) { padding-top: 0 !important; }
.pl-budget { position: sticky; top: 0; z-index: 50; background: #fff; padding: 8px 0 6px;
  border-bottom: 1px solid #e5e7eb; box-shadow: 0 2px 4px rgba(0,0,0,.05); }
.pl-figures { display: flex; flex-wrap: wrap; gap: 6px 22px; align-items: baseline; font-size: 1.05em; }
.pl-figures b { font-size: 1.35em; }
.pl-left b { color: #1d4ed8; }
.pl-over .pl-left b { color: #b91c1c; }
.pl-serves { color: #1e40af; }
.pl-serves-gone { color: #b91c1c; }
.pl-proposal-text { font-size: .9em; color: #374151; white-space: pre-wrap; margin-top: 2px;
  border-left: 3px solid #c7d2fe; padding-left: 6px; }
.pl-removed { gap: 10px; margin: 2px 0; }
.pl-removed .pl-note { margin: 2px 0; }
/* contain: its long line adds nothing to the banner's width (a banner wider than the page scrolls, and a
   scroller takes the keyboard focus) */
.pl-budget .pl-budget-msg { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; margin: 4px 0 0;
  contain: inline-size;
  padding: 3px 10px; }
.pl-budget-hint { margin-right: 10px; font-weight: bold; }
.pl-over-badge { background: #b91c1c; color: #fff; border-radius: 4px; padding: 1px 8px; font-weight: bold; }
.pl-bar { height: 14px; background: #e5e7eb; border-radius: 7px; overflow: hidden; margin: 6px 0 2px; }
.pl-bar > div { height: 100%; background: #2563eb; transition: width .2s; }
.pl-over .pl-bar > div { background: #dc2626; }
.pl-under .pl-bar > div { background: #d97706; }
.pl-note { border-left: 4px solid #6b7280; background: #f3f4f6; padding: 6px 10px; margin: 6px 0;
  border-radius: 2px; line-height: 1.5; white-space: normal; }
.pl-note ul { margin: 4px 0 0 1.2em; padding: 0; }
.pl-note-error { border-color: #dc2626; background: #fef2f2; color: #7f1d1d; }
.pl-note-warning { border-color: #d97706; background: #fffbeb; color: #78350f; }
.pl-note-success { border-color: #16a34a; background: #f0fdf4; color: #14532d; }
.pl-note-info { border-color: #2563eb; background: #eff6ff; color: #1e3a8a; }
.pl-status-row { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; margin: 6px 0; }
.pl-chip { border-radius: 12px; padding: 2px 10px; background: #e5e7eb; font-weight: bold; }
.pl-chip-draft { background: #dbeafe; } .pl-chip-submitted { background: #fef3c7; }
.pl-chip-accepted { background: #dcfce7; } .pl-chip-returned { background: #fee2e2; }
.pl-unsaved { color: #b45309; font-weight: bold; }
.pl-row { display: grid;
  grid-template-columns: 3em minmax(9em, 2.2fr) minmax(6em, 1.3fr) 5.5em 4.5em 4em minmax(8em, 2.5fr);
  gap: 4px 8px; align-items: center; line-height: 1.35; padding: 3px 0; }
.pl-head .pl-row { font-weight: bold; color: #4b5563; border-bottom: 1px solid #d1d5db; }
.pl-line { border-bottom: 1px solid #f3f4f6; }
.pl-selected { background: #eff6ff; }
.pl-row-cancelled .pl-row span { color: #6b7280; }
.pl-cancelled-mark { color: #b45309; }
.pl-flag-error .pl-row span:first-child { color: #b91c1c; font-weight: bold; }
.pl-flag-warning .pl-row span:first-child { color: #b45309; }
.pl-row-html { overflow: hidden; }
.pl-hint { color: #4b5563; margin: 4px 0; }
/* the inbox (お知らせ): a list under the top bar, unread items marked */
.pl-inbox { border: 1px solid #e5e7eb; border-radius: 4px; padding: 4px 10px 8px; margin: 6px 0; background: #fafafa; }
.pl-inbox-row { border-bottom: 1px solid #e5e7eb; padding: 4px 0; gap: 8px; }
.pl-inbox-unread { background: #fffbeb; }
.pl-inbox-item { line-height: 1.5; }
.pl-inbox-new { display: inline-block; background: #b45309; color: #fff; border-radius: 3px; padding: 0 5px;
  font-size: .85em; }
.pl-inbox-comment { color: #374151; white-space: pre-wrap; }
.pl-submit-confirm-box, .pl-upload-preview { margin: 6px 0; }
.pl-add-jump { margin: 8px 0 0; }
.pl-table { border-collapse: collapse; width: 100%; font-size: .95em; }
.pl-table th, .pl-table td { border: 1px solid #e5e7eb; padding: 4px 6px; text-align: left; vertical-align: top; }
.pl-table th { background: #f9fafb; }
.pl-table tr.pl-error td:first-child { color: #b91c1c; font-weight: bold; }
.pl-table tr.pl-warning td:first-child { color: #b45309; }
/* long unbroken text (a 1,000-character title, place, comment, venue or name) wraps wherever it must, in
   every table, grid row and note of both apps, so that no box grows wider than the screen: `anywhere`
   (unlike break-word) also lets a table column and a grid track shrink below the word's width. A table's
   headings stay whole words and its cells keep a few characters' width, so that the short columns beside
   a long text are not squeezed to a character a line. */
.pl-app { overflow-wrap: anywhere; }
.pl-app th { overflow-wrap: normal; word-break: keep-all; }
.pl-app td { min-width: 3em; }
.pl-app select { max-width: 100%; }
/* the revision, its time and status stay on one line; the name of who saved it wraps */
.pl-history td:nth-child(-n+2), .pl-history td:nth-child(4), .pl-history th { white-space: nowrap; }
.pl-history td:nth-child(3) { min-width: 8em; }
/* the officer's comment keeps room of its own beside long change lists (its heading read コ/メ/ン/ト) */
.pl-history td:last-child, .pl-history th:last-child { min-width: 12em; }
/* a download is a link (one click saves the file, planner.downloads) that looks like the info button */
.pl-link-button { display: inline-block; height: 28px; line-height: 28px; padding: 0 16px; border-radius: 2px;
  background: var(--jp-info-color1); color: #fff; text-decoration: none; font-size: 13px; margin: 2px 8px 2px 0; }
.pl-link-button:hover { background: var(--jp-info-color0); color: #fff; }
.pl-link-button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 1px; }
/* the year's label (令和7年度（2025年度）) whole at any width */
.pl-app .pl-year select, .pl-app .rv-year select { min-width: 13.5em; }
.pl-app .pl-year, .pl-app .rv-year { flex: 0 0 auto; }
.pl-refusal { max-width: 46em; margin: 40px auto; }
.pl-signout { margin-left: 14px; align-self: center; }
.pl-signout-a { display: inline-block; padding: 4px 12px; border: 1px solid #9ca3af; border-radius: 4px;
  color: #1f2937; text-decoration: none; background: #fff; }
.pl-signout-a:hover { background: #f3f4f6; }
.pl-signout-a:focus-visible { outline: 3px solid #f59e0b; outline-offset: 1px; }
/* a wide table scrolls inside its own box: without this its widgets grow to the table's width and push
   the page's right edge (the language buttons) out of view */
.pl-app, .pl-app .widget-html, .pl-app .widget-box { min-width: 0; max-width: 100%; }
.pl-app .pl-upload-button { font-size: 0; padding: 0 16px; min-width: 160px; }
.pl-app .pl-upload-button::before { content: attr(title); font-size: 13px; }
/* JupyterLab's light theme puts white button text on cyan 3.5:1, green 4.1:1 and orange 2.7:1 (WCAG AA
   asks 4.5:1): darker shades of the same hues, 5.0-7.3:1 (pressed: the darker still) */
.pl-app { --jp-info-color1: #0e7490; --jp-info-color0: #155e75; --jp-success-color1: #15803d;
  --jp-success-color0: #166534; --jp-warn-color1: #b45309; --jp-warn-color0: #92400e; }
/* where the keyboard is, on every control (WCAG 2.4.7), 3:1 against white and apart from the blue and
   red buttons: the widgets' own rings are 1px and the dropdown's is taken away with !important. Drawn
   inside the control: outside it, the widget boxes clip it and the next control covers it. */
.pl-app button:focus-visible, .pl-app select:focus-visible, .pl-app input:focus-visible,
.pl-app textarea:focus-visible, .pl-app a:focus-visible {
  outline: 3px solid #c2410c !important; outline-offset: -3px; }
.pl-app input[type="checkbox"]:focus-visible { outline-offset: 1px; }
/* the sticky budget bar must not cover the control that takes the focus (WCAG 2.4.11) */
.pl-app button, .pl-app select, .pl-app input, .pl-app textarea { scroll-margin-top: 180px; }
/* a disabled button looks disabled: the widgets only fade it, and a faded red 削除 still looks pressable */
.pl-app button:disabled { background: #f3f4f6 !important; color: #6b7280 !important; box-shadow: none !important;
  border: 1px dashed #9ca3af !important; opacity: 1 !important; cursor: not-allowed; }
@media (max-width: 820px) {
  .pl-app { font-size: 14px; padding: 0 6px 40px; }
  .pl-row { grid-template-columns: 2.2em minmax(7em, 2fr) minmax(5em, 1fr) 4em 4.5em 3.2em; }
  .pl-row span:nth-child(7) { grid-column: 2 / -1; color: #4b5563; }
}
"""

# the review app's own rules, after the shared ones
REVIEW_CSS = """
.rv-over { color: #b91c1c; } tr.rv-over-row td { background: #fef2f2; }
.rv-row { display: grid; grid-template-columns: minmax(9em, 1.6fr) 7em 3em 8em 8em minmax(9em, 1.6fr);
  gap: 4px 8px; align-items: center; padding: 4px 0; line-height: 1.35; }
.rv-head .rv-row { font-weight: bold; color: #4b5563; border-bottom: 1px solid #d1d5db; }
.rv-overview-row { border-bottom: 1px solid #f3f4f6; }
.rv-err { color: #b91c1c; font-weight: bold; }
.rv-warn { color: #b45309; }
/* 「エラー 1」「警告 1」 each whole: a narrow column wraps between them, never inside one */
.rv-err, .rv-warn { white-space: nowrap; display: inline-block; }
.rv-over { color: #b91c1c; font-weight: bold; }
.rv-plan-head { border: 1px solid #e5e7eb; border-radius: 4px; padding: 8px 12px; margin: 8px 0; background: #f9fafb; }
.rv-plan-head .pl-figures b { font-size: 1.2em; }
.pl-table tr.rv-changed td { background: #fffbeb; }
.pl-table tr.rv-moved td { background: #eff6ff; }
.pl-table tr.rv-added td:last-child { background: #f0fdf4; }
.pl-table tr.rv-removed td:nth-child(2) { background: #fef2f2; text-decoration: line-through; }
.pl-table tr.rv-total td { font-weight: bold; background: #f3f4f6; }
.pl-table td.rv-num, .pl-table th.rv-num { text-align: right; white-space: nowrap; }
.rv-box { border: 1px solid #e5e7eb; border-radius: 4px; padding: 6px 12px 10px; margin: 10px 0; }
.rv-result { color: #14532d; }
.rv-chip-unrecorded { background: #fee2e2; color: #7f1d1d; } .rv-chip-this_month { background: #fef3c7; }
.rv-pending h4 { margin: 18px 0 2px; } .rv-pending h5 { font-size: 1em; margin: 14px 0 4px; }
.rv-pending .pl-chip { white-space: nowrap; }
.rv-pending-counts { font-weight: normal; color: #4b5563; margin-left: .5em; }
.rv-satisfaction { margin: 4px 0; }
.rv-r-unit { display: flex; align-items: center; }
.rv-r-unit > .widget-label { text-align: right; margin-right: 8px; flex: none; }
.rv-sum { font-weight: bold; margin-left: .5em; }
.rv-dates-read { margin: 0 0 4px calc(11em + 10px); }
.rv-nav { margin: 8px 0; }
/* each tab as wide as its title (English ones are longer), and no narrower than the Japanese ones */
.rv-nav .widget-toggle-button { min-width: 11em; padding: 0 1em; }
.rv-scroll { overflow-x: auto; max-width: 100%; }
.rv-scroll th { white-space: nowrap; }
.rv-lines .pl-table td, .rv-lines .pl-table th { padding: 3px 5px; }
/* a line's details read as part of the line above them */
.pl-table tr:has(+ tr.rv-details) td { border-bottom-color: transparent; }
.pl-table tr.rv-details td { padding-top: 0; font-size: .92em; }
.rv-facts { display: flex; flex-wrap: wrap; gap: 2px 18px; }
.rv-detail-label { color: #4b5563; font-weight: bold; }
.rv-notes { margin-top: 2px; overflow-wrap: anywhere; line-height: 1.5; }
.rv-notes-missing { color: #b91c1c; }
.rv-waiting { border: 1px solid #e5e7eb; border-radius: 4px; padding: 2px 12px; margin: 10px 0 4px; gap: 4px 16px; }
.rv-waiting-some { border-color: #f59e0b; background: #fffbeb; }
.rv-waiting-count { margin: 6px 0; }
.rv-waiting-count b { font-size: 1.1em; }
.rv-steps { margin: 8px 0 0; gap: 6px; }
.rv-asking { margin: 4px 0; }
.rv-asking .widget-button { margin-right: 10px; }
.rv-asking .pl-note { font-weight: bold; }
.rv-asking .pl-note li { font-weight: normal; }
@media (max-width: 820px) {
  .rv-row { grid-template-columns: minmax(8em, 1.5fr) 6.5em 2.5em 7em 6.5em; }
  .rv-row span:nth-child(6) { grid-column: 1 / -1; color: #4b5563; font-size: .92em; }
}
"""
