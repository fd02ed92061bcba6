import type { CST, Document, DocumentOptions, ParseOptions, SchemaOptions } from "yaml";

// Inside a flow collection (`[...]`, `{...}`) PyYAML checks no indentation: its scanner's unwind_indent returns at
// once when flow_level is set ("In the flow context, indentation is ignored"), and scan_plain folds a plain scalar
// over any line in flow context ("Indentation rules are loosed for the flow context"); what still ends a flow
// collection is a document marker (`---`, `...`) at column 0 (fetch_more_tokens' check_document_start /
// check_document_end, scan_plain_spaces, scan_flow_scalar_breaks), an error there. (pyyaml lib/yaml/scanner.py at
// d856c206fd4bfd71254e0d69e9d5e31bef5d2c0f; the same in PyYAML 6.0, Debian's python3-yaml.) So OmegaConf.load reads
//
//   run:
//     valid_splits: ["val",
//   "test"]
//
// while the `yaml` package's lexer ends the collection with an error at a continuation line (or a quoted or plain
// scalar's next line) indented less than its `indentNext` (past the block collection holding it), which left lavisc
// with a string of LV1008s. Here the `yaml` package's own Lexer and Parser run as its documentation shows for a
// user-provided lexer, with that bound set to 0 while the lexer is inside a flow collection: its remaining rule there
// is PyYAML's (a document marker at column 0 ends the collection: an error). The bound is put back when the outermost
// collection closes, so the block structure around it reads as before. The offsets are the text's own.

/** The two fields of the `yaml` package's Lexer (private in its types) that decide where a flow collection ends. */
interface FlowState {
  flowLevel: number;
  indentNext: number;
}

/** The CST tokens of `text`, as `new Parser().parse(text)` gives them but with no indentation rule in flow context. */
export function* tokensAsPyYaml(lib: typeof import("yaml"), text: string): Generator<CST.Token, void> {
  const lexer = new lib.Lexer();
  const parser = new lib.Parser();
  const state = lexer as unknown as FlowState;
  if (typeof state.flowLevel !== "number" || typeof state.indentNext !== "number") {
    throw new Error("the yaml package's Lexer no longer has flowLevel and indentNext (yamlFlowIndent.ts)");
  }
  /** The block bound before the outermost open flow collection, null outside one. */
  let outside: number | null = null;
  for (const lexeme of lexer.lex(text)) {
    yield* parser.next(lexeme);
    // The lexer is paused right after `lexeme`; it updates flowLevel once it goes on.
    if (lexeme === "[" || lexeme === "{") {
      outside ??= state.indentNext;
      state.indentNext = 0;
    } else if (outside !== null && (state.flowLevel === 0 || (state.flowLevel === 1 && (lexeme === "]" || lexeme === "}")))) {
      // The outermost collection closes (or a document marker ended it: flowLevel is already 0).
      state.indentNext = outside;
      outside = null;
    }
  }
  yield* parser.end();
}

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * `lib.parseDocument(text, options)` (with prettyErrors off) on the tokens of tokensAsPyYaml, less one error the `yaml`
 * package makes of a comment at column 0 after a flow mapping's value (`{a: 1\n# c\n}`): "Comments must be separated
 * from other tokens by white space characters", where a line break separates it (its parser gives the line break to
 * the value and the comment to the next entry). PyYAML reads it, and the document the `yaml` package builds is right.
 */
export function parseDocumentAsPyYaml(lib: typeof import("yaml"), text: string, options: Options): Document.Parsed {
  const composer = new lib.Composer(options);
  let doc: Document.Parsed | null = null;
  for (const next of composer.compose(tokensAsPyYaml(lib, text), true, text.length)) {
    if (!doc) doc = next;
    else {
      // What parseDocument says of a second document.
      doc.errors.push(new lib.YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
      break;
    }
  }
  doc!.errors = doc!.errors.filter((e) => !commentAtLineStart(e, text));
  return doc!;
}

function commentAtLineStart(e: { code: string; message: string; pos: [number, number] }, text: string): boolean {
  const at = e.pos[0];
  return e.code === "MISSING_CHAR" && e.message.startsWith("Comments must be separated") && text[at] === "#" && (at === 0 || text[at - 1] === "\n" || text[at - 1] === "\r");
}
