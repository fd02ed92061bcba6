// Text from a config, shown on a terminal: its control characters are shown, never obeyed. A value such as
// `"\e]0;...\a"` (in a key, a path, an output_dir) would otherwise retitle, recolor or rewrite the terminal that prints
// a diagnostic, a plan or a run's log. Each becomes one character (Unicode's control pictures, as rustc shows them),
// so a caret under a source line stays aligned. Line breaks and tabs stay: they lay out lavisc's own text.

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/g;

export function visible(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? "\u2421" : "\ufffd";
  });
}

const LINE_BREAK = /[\t\n\r]/g;

/**
 * `visible`, for text lavisc lays out on one line (a diagnostic's headline, hint and labels): a line break or tab in
 * it comes from a value (`"a\nb"`, a `--set` value) and is shown as its control picture too, so the layout holds.
 */
export function visibleOnOneLine(text: string): string {
  return visible(text).replace(LINE_BREAK, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)));
}
