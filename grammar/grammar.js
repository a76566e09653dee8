/**
 * @file Newsmark: annotated news articles (entities, claims, sources).
 * @license MIT
 *
 * The language is described in docs/markup.md; node names are the words of
 * that document. DSL reference:
 * https://tree-sitter.github.io/tree-sitter/creating-parsers/2-the-grammar-dsl.html
 *
 * Shape of the tree: document → blocks (front matter, heading, entity
 * definition, paragraph) → inline marks. Blocks are separate subtrees so an
 * incremental reparse reuses every paragraph that an edit does not touch,
 * and they are grouped in hidden chunks (`_chunk`) so that it reuses most
 * of them a chunk at a time.
 *
 * Speed: ordinary prose is lexed as long runs (`_text`): one token for every
 * stretch of characters that cannot start a mark, never one per word, and
 * directly inside a paragraph the run goes on across line breaks.
 *
 * Line structure (which newline ends a block, which continues a paragraph,
 * which starts a property line) is decided by the external scanner in
 * src/scanner.c, because it depends on the *next* line: a blank line ends
 * every open block, claim and mention.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

// An entity id: `lavrov`, `north-korea`, `us.white-house`, `kcna_2023`,
// `захарова`, `푸틴`. Inner `.` and `-` are allowed but an id never ends with
// them, so `[Kirby]@kirby.` ends the id before the full stop.
//
// Letters come from one script (digits, `_` and combining marks go with
// any), so a particle or ending in another script ends the id:
// `[푸틴 대통령]@putin은` is `putin` and then text, as in version 1, where
// ids were ASCII. Japanese mixes Han, Hiragana and Katakana (and `ー`).
// server/crates/syntax/src/id.rs keeps the same rule; a test holds the two
// together.
// Only a script's letters, digits and marks: its punctuation (Armenian
// `։`, Khmer `។`) ends an id as a full stop does.
const ID_SCRIPTS = [
  'Latin', 'Cyrillic', 'Greek', 'Armenian', 'Georgian', 'Hebrew', 'Arabic',
  'Syriac', 'Thaana', 'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati',
  'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai',
  'Lao', 'Tibetan', 'Myanmar', 'Khmer', 'Ethiopic', 'Hangul',
].map(script => `\\p{${script}}`)
  .concat('\\p{Han}\\p{Hiragana}\\p{Katakana}\\u30FC')
  .map(letters => `[[${letters}]&&[\\p{L}\\p{N}\\p{M}]]`);
// Characters that go with any script: ASCII digits and `_`, and after the
// first letter, combining marks. (A script's own digits are of its script.)
const ID_COMMON = '0-9_';
const ID_MARKS = '\\p{M}';
const ENTITY_ID = new RegExp([
  `[${ID_COMMON}]([${ID_COMMON}.-]*[${ID_COMMON}])?`,
  ...ID_SCRIPTS.map(letters => {
    const inner = `${letters}${ID_MARKS}${ID_COMMON}`;
    return `([${ID_COMMON}][${ID_COMMON}.-]*)?[${letters}]([${inner}.-]*[${inner}])?`;
  }),
].map(branch => `(${branch})`).join('|'));

// A property or front matter key: `kind`, `member-of`, `x-desk`.
const KEY = /[A-Za-z][A-Za-z0-9_-]*/;

// Characters that can start or end a mark; a text run stops before them.
//   [ ] { } @ \ | % ~   and line ends.
// A run may still contain:
//   - `@` right after a letter or digit (`press@kcna.kp` is text),
//   - `%` not followed by another `%` (`50% of`),
//   - `~` not followed by `[` (`~5%`): `~[` opens a hedge cue,
//   - `\` followed by a character that is not ASCII punctuation
//     (`C:\dir`): `\` and ASCII punctuation make an escape.
const TEXT_RUN = /([^\[\]{}@\\|%~\r\n]|[\p{L}\p{N}]@|%[^\[\]{}@\\|%~\r\n]|~[^\[\]{}@\\|%~\r\n]|\\[^!-\/:-@\[-`{-~\r\n])+/;

// The display name of a definition runs to the end of the line (or a comment).
const NAME_RUN = /([^\\%\r\n]|%[^\\%\r\n]|\\[^!-\/:-@\[-`{-~\r\n])+/;

// A chunk's blocks (see `_chunk`): a block, then more.
const topLevelRun = $ => [$._top_level, repeat($._top_level)];

// How a claim's source takes a stance on a labelled claim.
const STANCES = ['denies', 'confirms', 'disputes'];

export default grammar({
  name: 'newsmark',

  externals: $ => [
    // A newline inside a paragraph, claim or mention; the next line continues it.
    $._line_break,
    // A newline plus the indentation of the next line, which is a property line.
    $._property_break,
    // The newline that ends a block, before a blank line or a line that
    // cannot continue the block, with the blank lines that follow it;
    // zero-width at the end of the file. It is the block's last child, so an
    // error at the end of a paragraph stays inside it.
    $._block_end,
    // Blank lines at the start of the file and after a standalone comment
    // (or where error recovery stopped), and the newline after such a comment.
    $._document_newline,
    // The newline before a line that holds only a comment; invisible to the
    // block structure, so a comment line never splits a paragraph.
    $._comment_newline,
    // A text run, produced only while tree-sitter recovers from an error:
    // the regular `_text` token overlaps too many others to be lexed during
    // recovery, and without it the parser could not resume the paragraph.
    $._recovery_text,
    // The grammar's `_text` run (below), tried here first: the scanner lexes
    // the common runs in a tight loop, where the generated lexer would call
    // `mark_end` on every character. Whatever it declines (a run that starts
    // where another token could, or that needs Unicode classes) falls back
    // to the generated lexer, so `_text` keeps the one definition below.
    // Directly inside a paragraph, the scanner's run also takes in a line
    // break and goes on along the next line: both tokens are hidden, so
    // the tree is the same, with far fewer tokens.
    $._text,
    // The `#` of a claim label, right after the claim's `}` and before a
    // character that may start a name.
    $._label_hash,
    // Never produced: valid only while tree-sitter recovers from an error.
    $._error_sentinel,
    // The marker lines of a git-style conflict, each a whole line with its
    // line end: `<<<<<<< name`, `======= name` (the name optional) and
    // `>>>>>>> name`, the last with the blank lines after it. Lexed only
    // where the parser can take them, so outside a conflict `=======` and
    // `>>>>>>>` stay text. The closing marker is empty at the end of the
    // file or before the next `<<<<<<<` when the conflict has none.
    $.conflict_start,
    $.conflict_separator,
    $.conflict_end,
    // Never produced: valid only inside a paragraph of a conflict's
    // version, where it tells the scanner that a marker line ends the
    // paragraph (outside a conflict, `=======` continues it).
    $._in_version,
    // The zero-width end of a chunk (below), before a line whose first
    // characters hash to a chunk boundary.
    $._chunk_end,
  ],

  // Comments may stand anywhere outside an escape. Whitespace is content in
  // prose, so it is not an extra.
  extras: $ => [$.comment, $.directive, $._comment_newline],

  rules: {
    // ===== Document and blocks =====

    document: $ => seq(
      optional($._bom),
      optional($.front_matter),
      repeat($._chunk),
      optional($._last_chunk),
    ),

    // A hidden run of top-level blocks, about 32 of them, so that an
    // incremental reparse walks chunks, not every block of a long file.
    // tree-sitter cannot reuse a node of a `repeat` (each is built where
    // the repetition could go on, which marks it fragile), so it re-shifts
    // every block of the document's repeat one by one; a chunk starts with
    // a block and ends with `_chunk_end`, so it is reused whole. The scanner
    // places the boundaries by the text of the line after them, never by
    // position or count, so an edit moves only the boundaries near it.
    // (Not `repeat1`: a chunk's first child would then be a fragile repeat.)
    _chunk: $ => seq(...topLevelRun($), $._chunk_end),

    // The last chunk runs to the end of the file without a `_chunk_end`, so
    // that where error recovery looks for a state that can take the end of
    // the file, it finds one after every complete block.
    _last_chunk: $ => seq(...topLevelRun($)),

    _top_level: $ => choice($._block, $.conflict, $._document_newline),

    _block: $ => choice($.heading, $.entity_definition, $.paragraph),

    // A git-style conflict: `<<<<<<< alice`, alice's blocks, `=======`,
    // bob's blocks, `>>>>>>> bob`; more versions each after a `=======`.
    // A version may be empty. Without its `>>>>>>>` (an unterminated
    // conflict) it runs to the next `<<<<<<<` or the end of the file, where
    // the scanner ends it with an empty `conflict_end`: its blocks are
    // still blocks, and the syntax layer reports it.
    conflict: $ => seq(
      $.conflict_start,
      optional($.version),
      repeat(seq($.conflict_separator, optional($.version))),
      $.conflict_end,
    ),

    version: $ => repeat1(choice(
      $.heading,
      $.entity_definition,
      alias($._version_paragraph, $.paragraph),
      $._document_newline,
    )),

    // Only at the very start of the file: `---`, `key: value` lines, `---`.
    front_matter: $ => seq(
      $._front_matter_delimiter,
      $._line_break,
      repeat(seq($.property, $._line_break)),
      $._front_matter_delimiter,
      $._block_end,
    ),

    // `# Title` to `###### Title`; a heading is always one line.
    heading: $ => seq(
      field('marker', $.heading_marker),
      optional(field('text', alias($._line_content, $.content))),
      $._block_end,
    ),

    // `@id: Display Name` at column 0 of a block, then indented property lines.
    entity_definition: $ => seq(
      '@',
      field('id', $.entity_id),
      $._colon,
      optional(field('name', $.name)),
      repeat(seq($._property_break, $.property)),
      $._block_end,
    ),

    name: $ => repeat1(choice($._name_text, $.escape)),

    // `key: value`, in definitions and in front matter. Values are inline
    // text, so `member-of: @russia` holds a reference.
    property: $ => seq(
      field('key', $.key),
      $._colon,
      optional(field('value', $.value)),
    ),

    value: $ => $._line_content,

    paragraph: $ => seq(
      $._inline,
      repeat(choice($._inline, $._line_break)),
      $._block_end,
    ),

    // A paragraph inside a conflict's version: the same, with the scanner
    // told (`_in_version`) that a marker line ends it.
    _version_paragraph: $ => seq(
      $._inline,
      repeat(choice($._inline, $._line_break, $._in_version)),
      $._block_end,
    ),

    _line_content: $ => repeat1($._inline),

    // ===== Inline marks =====

    _inline: $ => choice($._text, $._recovery_text, $.escape, $.reference, $.mention, $.editorial, $.claim),

    // `@lavrov`. The lexer never starts a reference after a letter or digit,
    // because such an `@` is already part of the text run.
    reference: $ => seq('@', field('id', $.entity_id)),

    // `[Sergey Lavrov]@lavrov`, or of several entities,
    // `[the two ministers]@lavrov+@rubio`. Preferred over an editorial
    // bracket followed by a reference: `]@` always makes a mention. `+@`
    // right after its id continues the mention; a `+` followed by anything
    // else is text, as in version 1 (`[C]@c++`).
    mention: $ => prec(1, seq(
      '[',
      optional(field('text', $.content)),
      ']',
      '@',
      field('id', $.entity_id),
      repeat(seq(token.immediate(prec(2, '+@')), field('id', $.entity_id))),
    )),

    // `[sic]`, `He [Lavrov] said`: plain text inside brackets.
    editorial: $ => seq('[', optional(field('text', $.content)), ']'),

    // `{claim text}` or `{claim text | @src, @src2}`. Claims nest and may
    // span lines within their paragraph. A label right after the closing
    // brace (`}#munitions`) names the claim for stances.
    claim: $ => seq(
      '{',
      optional(field('text', alias($._claim_content, $.content))),
      optional(seq($._source_bar, field('sources', $.source_list))),
      '}',
      optional(field('label', $.label)),
    ),

    content: $ => repeat1(choice($._inline, $._line_break)),

    // A claim's text may also hold hedge cues.
    _claim_content: $ => repeat1(choice($._inline, $.hedge, $._line_break)),

    // `~[allegedly]`: the words that hedge the claim around them.
    hedge: $ => seq(token(prec(2, '~[')), optional(field('text', $.content)), ']'),

    // `#munitions` right after a claim's `}`. The scanner takes the `#` only
    // when a name may follow, so `{…}# and` stays text, as in version 1.
    label: $ => seq($._label_hash, field('name', alias($.entity_id, $.label_name))),

    // `@us, @white-house`, possibly spread over lines; each source may come
    // through conduits (`@jon via @kcna`), and the list may end with the
    // stances its claim takes (`@south-korea denies #munitions`). The tree
    // keeps them in text order: a conduit belongs to the source before it.
    source_list: $ => seq(
      optional($._gap),
      $.source,
      repeat(choice(
        seq(optional($._gap), ',', optional($._gap), choice($.source, $.stance)),
        seq($._gap, choice($.conduit, $.stance)),
      )),
      optional($._gap),
    ),

    _gap: $ => repeat1(choice($._space, $._line_break)),

    source: $ => seq('@', field('id', $.entity_id)),

    // `via @kcna`: the outlet or person that carried the source's words.
    conduit: $ => seq('via', $._gap, '@', field('id', $.entity_id)),

    // `denies #munitions`.
    stance: $ => seq(
      field('kind', choice(...STANCES)),
      $._gap,
      '#',
      field('label', alias($.entity_id, $.label_name)),
    ),

    // ===== Tokens =====

    entity_id: _ => ENTITY_ID,

    key: _ => KEY,

    // `\[` stands for a literal `[`; the same for every ASCII punctuation
    // character (`\@`, `\-` after an id: `[U.S.]@us\-led`).
    escape: _ => /\\[!-\/:-@\[-`{-~]/,

    heading_marker: _ => token(prec(2, /#{1,6}[ \t]+/)),

    // `%% ignore: code, code`: its own node, so tools can find it.
    // Leading spaces belong to the comment so an indented comment line
    // never reads as a property line.
    directive: _ => token(prec(1, /[ \t]*%%[ \t]*ignore[ \t]*:[^\r\n]*/)),

    comment: _ => token(/[ \t]*%%[^\r\n]*/),

    // Beats a text run starting with `:` so that `@id:` at the start of a
    // block is a definition, and swallows the spaces before the value.
    _colon: _ => token(prec(2, /:[ \t]*/)),

    // Beats a text run starting with `|`, which is text outside a claim.
    _source_bar: _ => token(prec(2, '|')),

    _front_matter_delimiter: _ => token(prec(2, /---[ \t]*/)),

    _bom: _ => token(prec(3, '\uFEFF')),

    // A lone `%`, `\`, `~` or `|` (end of line, `~` before `[` outside a
    // claim, `|` outside a claim) is text too.
    _text: _ => token(choice(TEXT_RUN, '%', '\\', '~', '|')),

    _name_text: _ => token(choice(NAME_RUN, '%', '\\')),

    _space: _ => /[ \t]+/,
  },
});
