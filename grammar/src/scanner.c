// External scanner for Newsmark: decides what each line end means.
//
// A newline's meaning depends on the line after it, which a regular token
// cannot see: a blank line ends every open block, claim and mention; an
// indented line after a definition is a property line; a line holding only a
// comment is invisible to the block structure. The scanner keeps no state:
// every decision is made from the text at hand, so incremental reparses
// never depend on serialized context.

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

enum TokenType {
  LINE_BREAK,
  PROPERTY_BREAK,
  BLOCK_END,
  DOCUMENT_NEWLINE,
  COMMENT_NEWLINE,
  RECOVERY_TEXT,
  TEXT,
  LABEL_HASH,
  ERROR_SENTINEL,
  CONFLICT_START,
  CONFLICT_SEPARATOR,
  CONFLICT_END,
  IN_VERSION,
  CHUNK_END,
};

// The only state: whether the last external token was a blank line seen
// while recovering from an error. It exists to mark that token as a scanner
// state change, which stops tree-sitter from skipping over it to continue an
// unclosed claim across the blank line (see ts_parser__recover). In error-free
// text it is always false and serializes to nothing, so it never hinders reuse.
typedef struct {
  bool recovery_blank_line;
} Scanner;

void *tree_sitter_newsmark_external_scanner_create(void) { return calloc(1, sizeof(Scanner)); }

void tree_sitter_newsmark_external_scanner_destroy(void *payload) { free(payload); }

unsigned tree_sitter_newsmark_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *scanner = payload;
  if (!scanner->recovery_blank_line) return 0;
  buffer[0] = 1;
  return 1;
}

void tree_sitter_newsmark_external_scanner_deserialize(void *payload, const char *buffer,
                                                       unsigned length) {
  Scanner *scanner = payload;
  scanner->recovery_blank_line = length > 0 && buffer[0] == 1;
}

static inline bool is_line_end(int32_t c) { return c == '\n' || c == '\r'; }

static inline bool is_blank(int32_t c) { return c == ' ' || c == '\t'; }

// Consumes one line ending: LF, CRLF or a lone CR.
static void advance_line_end(TSLexer *lexer) {
  if (lexer->lookahead == '\r') {
    lexer->advance(lexer, false);
    if (lexer->lookahead == '\n') lexer->advance(lexer, false);
  } else {
    lexer->advance(lexer, false);
  }
}

// Consumes the blank lines (and trailing spaces at the end of the file) that
// follow a line end, marking the token's end after each of them.
static void advance_blank_lines(TSLexer *lexer) {
  for (;;) {
    while (is_blank(lexer->lookahead)) lexer->advance(lexer, false);
    if (lexer->eof(lexer)) {
      lexer->mark_end(lexer);
      return;
    }
    if (!is_line_end(lexer->lookahead)) return;
    advance_line_end(lexer);
    lexer->mark_end(lexer);
  }
}

// The character a conflict marker repeats: `<`, `=` or `>`.
static inline bool is_marker_char(int32_t c) { return c == '<' || c == '=' || c == '>'; }

// A conflict marker at the start of a line: exactly seven `<`, `=` or `>`,
// then a blank, the line end or the end of the file. Consumes the seven
// characters (or as many as match) and returns the marker's token, or -1.
// Whatever it consumed is text (`<`, `=` and `>` never end a run), so a
// caller may go on lexing a run after a line that is not a marker.
static int scan_marker(TSLexer *lexer) {
  int32_t c = lexer->lookahead;
  if (!is_marker_char(c)) return -1;
  for (int i = 0; i < 7; i++) {
    if (lexer->lookahead != c) return -1;
    lexer->advance(lexer, false);
  }
  if (!(lexer->eof(lexer) || is_line_end(lexer->lookahead) || is_blank(lexer->lookahead))) {
    return -1;
  }
  return c == '<' ? CONFLICT_START : c == '=' ? CONFLICT_SEPARATOR : CONFLICT_END;
}

// Whether a marker line ends the block before it: an opening marker always
// does (a conflict cuts the paragraph it falls in), the others only inside
// a conflict's version (elsewhere `=======` is text) or while recovering.
static inline bool marker_ends_block(int marker, const bool *valid_symbols, bool recovering) {
  if (marker < 0) return false;
  return marker == CONFLICT_START || valid_symbols[IN_VERSION] || recovering;
}

// The rest of a marker line after its seven characters (the name) and its
// line end; the closing marker also takes the blank lines after it, as a
// block's end does.
static void advance_marker_line(TSLexer *lexer, int marker) {
  while (!lexer->eof(lexer) && !is_line_end(lexer->lookahead)) lexer->advance(lexer, false);
  if (!lexer->eof(lexer)) advance_line_end(lexer);
  lexer->mark_end(lexer);
  if (marker == CONFLICT_END) advance_blank_lines(lexer);
}

static inline bool is_ascii_alnum(int32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// Characters that may follow `\` in an escape: ASCII punctuation.
static inline bool is_escapable(int32_t c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

// Lexes a run of plain text while the parser recovers from an error, with the
// same rules as the grammar's `_text` token (see TEXT_RUN in grammar.js).
// Non-ASCII characters count as letters before `@`, which errs on the side of text.
static bool scan_recovery_text(TSLexer *lexer) {
  bool any = false;
  bool after_alnum = false;
  for (;;) {
    int32_t c = lexer->lookahead;
    if (lexer->eof(lexer) || is_line_end(c) || c == '[' || c == ']' || c == '{' || c == '}' ||
        c == '|') {
      break;
    }
    if (c == '@' && !after_alnum) break;
    if (c == '%' || c == '\\' || c == '~') {
      lexer->mark_end(lexer);
      lexer->advance(lexer, false);
      int32_t next = lexer->lookahead;
      if (c == '%' ? next == '%' : c == '~' ? next == '[' : is_escapable(next)) return any;
      any = true;
      after_alnum = false;
      continue;
    }
    lexer->advance(lexer, false);
    any = true;
    after_alnum = is_ascii_alnum(c) || c > 0x7f;
  }
  lexer->mark_end(lexer);
  return any;
}

// Whether a text run may take in line breaks: only directly inside a
// paragraph, where both a line break and the end of the block may come.
// Not in claims, mentions and brackets, nor in front matter: error recovery
// resumes there at line breaks, which must stay tokens of their own.
static inline bool runs_across_lines(const bool *valid_symbols) {
  return valid_symbols[LINE_BREAK] && valid_symbols[BLOCK_END];
}

// Consumes a line end inside a paragraph and the next line's indentation.
// True when that line end is a plain `_line_break` that a text run may take
// in: the next line is neither blank nor a comment or directive (`%`, left
// to the slow path) nor a conflict marker that ends the paragraph. Tokens
// that could start a line (`#`, `---`, `:`) are never valid after a line
// break, so the next line is prose like any other.
static bool advance_continued_line(TSLexer *lexer, const bool *valid_symbols) {
  advance_line_end(lexer);
  if (is_marker_char(lexer->lookahead)) {
    return !marker_ends_block(scan_marker(lexer), valid_symbols, false);
  }
  while (is_blank(lexer->lookahead)) lexer->advance(lexer, false);
  if (lexer->eof(lexer) || is_line_end(lexer->lookahead)) return false;
  return lexer->lookahead != '%';
}

// Characters that end a text run (see TEXT_RUN in grammar.js), and the
// characters that may not follow `%` or `~` inside one.
static inline bool ends_run(int32_t c) {
  return c == 0 || is_line_end(c) || c == '[' || c == ']' || c == '{' || c == '}' || c == '@' ||
         c == '\\' || c == '|' || c == '%' || c == '~';
}

// Whether `next` may not follow `c` (`%`, `~` or `\`) inside a text run:
// the pair then ends the run before `c`.
static inline bool ends_run_after(int32_t c, int32_t next) {
  if (c == '\\') return next == 0 || is_line_end(next) || is_escapable(next);
  return ends_run(next);
}

// The rest of a text run. Directly inside a paragraph, the run takes in a
// line end and goes on along the next line (see runs_across_lines and
// advance_continued_line): a paragraph of prose is then one token, not a
// token and a line break per line, which made parsing the benchmark corpus a
// sixth faster. The tree does not change: both tokens are hidden.
//
// `letter` is the last character when `@` may follow it (`press@kcna.kp`):
// an ASCII letter or digit, or any non-ASCII character (declined at the
// `@`); 0 otherwise, and after the second half of `%x` or `\x`.
static bool scan_text_rest(TSLexer *lexer, const bool *valid_symbols, bool only_blanks,
                           int32_t letter) {
  for (;;) {
    int32_t c = lexer->lookahead;
    if (is_line_end(c)) {
      lexer->mark_end(lexer);
      if (!runs_across_lines(valid_symbols) || !advance_continued_line(lexer, valid_symbols)) {
        return true;
      }
      letter = 0;
      only_blanks = false;
      continue;
    }
    if (c == '@') {
      if (letter == 0) break;
      if (letter > 0x7f) return false;
      lexer->advance(lexer, false);
      letter = 0;
      only_blanks = false;
      continue;
    }
    if (c == '%' || c == '\\' || c == '~') {
      // `%x`, `~x` and `\x` belong to the run unless the pair ends it
      // (`~[` opens a hedge cue, `\[` is an escape); `%%` starts a comment,
      // which takes the blanks before it when nothing else precedes.
      lexer->mark_end(lexer);
      lexer->advance(lexer, false);
      if (ends_run_after(c, lexer->lookahead)) {
        return !only_blanks || (c == '%' ? lexer->lookahead != '%' : true);
      }
      lexer->advance(lexer, false);
      letter = 0;
      only_blanks = false;
      continue;
    }
    if (ends_run(c)) break;
    lexer->advance(lexer, false);
    letter = is_ascii_alnum(c) || c > 0x7f ? c : 0;
    only_blanks = only_blanks && is_blank(c);
  }
  lexer->mark_end(lexer);
  return true;
}

// Whether a text run may start with `c`: see scan_text.
static inline bool may_start_run(int32_t c) {
  return !ends_run(c) && c != '#' && c != '-' && c != ':' && c != '+' && c != 0xFEFF;
}

// Lexes the grammar's `_text` token in the common case, with exactly the
// rules of TEXT_RUN in grammar.js. It declines (returns false, so the
// generated lexer decides) wherever that is not plain: a run that starts
// with a character another token may start with (`#` of a heading or a
// label, `-` of `---`, `:`, `+` after a mention, `%`, `\`, `~`, `|`, the
// byte order mark), blanks before a `%%`
// comment, a block that starts indented, and `@` after a non-ASCII
// character, which needs the Unicode letter classes.
static bool scan_text(TSLexer *lexer, const bool *valid_symbols) {
  if (!may_start_run(lexer->lookahead)) return false;
  return scan_text_rest(lexer, valid_symbols, true, 0);
}

// How many characters of a line decide whether a chunk ends before it, and
// one line in how many (on average) does end one. Chunks of ~32 blocks keep
// both what a reparse walks (the chunks, then the blocks of the edited one)
// small for a 1 MB article of ~2,500 blocks.
#define CHUNK_HASH_CHARS 16
#define CHUNK_BLOCKS 32

// Lines that may start a chunk (the parser is between top-level blocks):
// any but a blank line, an indented one, one that starts with `%` (a
// comment) or with a conflict marker's character.
static inline bool may_start_chunk(TSLexer *lexer) {
  int32_t c = lexer->lookahead;
  return !lexer->eof(lexer) && !is_line_end(c) && !is_blank(c) && c != '%' && !is_marker_char(c);
}

// Whether a chunk ends before this line (see `_chunk` in grammar.js): a hash
// of its first characters (up to CHUNK_HASH_CHARS; for a line that starts a
// text run, up to the first character that ends a run), so the boundaries
// depend on the text alone and an edit moves only those on the lines it
// touches. The line's first token follows when it does not: the characters
// hashed are consumed, so a line that starts a text run goes on into the run
// from there (as scan_text would have lexed it), and any other line is left
// to the generated lexer.
static bool scan_chunk_end(TSLexer *lexer, const bool *valid_symbols) {
  bool starts_run = may_start_run(lexer->lookahead);
  lexer->mark_end(lexer);
  uint32_t hash = 2166136261u;
  int32_t letter = 0;
  for (int i = 0; i < CHUNK_HASH_CHARS && !lexer->eof(lexer); i++) {
    int32_t c = lexer->lookahead;
    if (starts_run ? ends_run(c) : is_line_end(c)) break;
    hash = (hash ^ (uint32_t)c) * 16777619u;
    letter = is_ascii_alnum(c) || c > 0x7f ? c : 0;
    lexer->advance(lexer, false);
  }
  hash ^= hash >> 15;
  hash *= 0x2c1b3c6du;
  hash ^= hash >> 12;
  if (hash % CHUNK_BLOCKS == 0) {
    lexer->result_symbol = CHUNK_END;
    return true;
  }
  if (!starts_run || !scan_text_rest(lexer, valid_symbols, false, letter)) return false;
  lexer->result_symbol = TEXT;
  return true;
}

static bool scan(TSLexer *lexer, const bool *valid_symbols, bool recovering);

bool tree_sitter_newsmark_external_scanner_scan(void *payload, TSLexer *lexer,
                                                const bool *valid_symbols) {
  Scanner *scanner = payload;
  bool recovering = valid_symbols[ERROR_SENTINEL];
  bool found = scan(lexer, valid_symbols, recovering);
  if (found) {
    scanner->recovery_blank_line = recovering && lexer->result_symbol == DOCUMENT_NEWLINE;
  }
  return found;
}

// The `#` of a claim label: only before a character that may start a name
// (an ASCII letter, digit or `_`, or any non-ASCII character, which the id
// token then checks), so that `{…}# and` stays text, as in version 1.
static bool scan_label_hash(TSLexer *lexer) {
  if (lexer->lookahead != '#') return false;
  lexer->advance(lexer, false);
  lexer->mark_end(lexer);
  int32_t c = lexer->lookahead;
  if (!(is_ascii_alnum(c) || c == '_' || c > 0x7f)) return false;
  lexer->result_symbol = LABEL_HASH;
  return true;
}

static bool scan(TSLexer *lexer, const bool *valid_symbols, bool recovering) {
  // Having looked past the `#`, nothing else can be tried from here: a `#`
  // that starts no label is left to the generated lexer (a text run).
  if (valid_symbols[LABEL_HASH] && !recovering && lexer->lookahead == '#') {
    return scan_label_hash(lexer);
  }

  if (lexer->eof(lexer)) {
    // An unterminated conflict ends at the end of the file, with an empty
    // closing marker, once its last block has ended.
    if (valid_symbols[CONFLICT_END] && !valid_symbols[BLOCK_END] && !recovering) {
      lexer->result_symbol = CONFLICT_END;
      return true;
    }
    // The end of the file ends the last block. Inside a claim or mention
    // (where a line break would be valid) the parser cannot take this token
    // yet, so it closes what is open with a MISSING or ERROR node here.
    if ((valid_symbols[BLOCK_END] || valid_symbols[LINE_BREAK]) && !recovering) {
      lexer->result_symbol = BLOCK_END;
      return true;
    }
    return false;
  }

  if (valid_symbols[CHUNK_END] && valid_symbols[TEXT] && !recovering && may_start_chunk(lexer)) {
    return scan_chunk_end(lexer, valid_symbols);
  }

  // A conflict's marker line, where the parser can take one. While
  // recovering, any marker at the start of a line: it lets the parser
  // resume the conflict after a broken block.
  bool marker_valid = valid_symbols[CONFLICT_START] || valid_symbols[CONFLICT_SEPARATOR] ||
                      valid_symbols[CONFLICT_END];
  if (marker_valid && is_marker_char(lexer->lookahead) &&
      (!recovering || lexer->get_column(lexer) == 0)) {
    lexer->mark_end(lexer);
    int marker = scan_marker(lexer);
    if (marker >= 0 && valid_symbols[marker]) {
      advance_marker_line(lexer, marker);
      lexer->result_symbol = marker;
      return true;
    }
    // A conflict opening inside another one: the other is unterminated,
    // and ends here with an empty closing marker.
    if (marker == CONFLICT_START && valid_symbols[CONFLICT_END] && !recovering) {
      lexer->result_symbol = CONFLICT_END;
      return true;
    }
    // Not a marker here: the characters consumed start a text run.
    if (recovering || !valid_symbols[TEXT] || !scan_text_rest(lexer, valid_symbols, false, 0)) {
      return false;
    }
    lexer->result_symbol = TEXT;
    return true;
  }

  // A line that is empty or holds only spaces, between blocks. While
  // recovering, this is how a blank line shows, and nothing may continue
  // across it; otherwise blocks always start at column 0.
  bool indented = false;
  if (valid_symbols[DOCUMENT_NEWLINE] && (!recovering || lexer->get_column(lexer) == 0)) {
    while (is_blank(lexer->lookahead)) {
      lexer->advance(lexer, false);
      indented = true;
    }
    if (lexer->eof(lexer) || is_line_end(lexer->lookahead)) {
      advance_blank_lines(lexer);
      lexer->result_symbol = DOCUMENT_NEWLINE;
      return true;
    }
  }

  if (!is_line_end(lexer->lookahead)) {
    if (recovering) {
      if (!scan_recovery_text(lexer)) return false;
      lexer->result_symbol = RECOVERY_TEXT;
      return true;
    }
    // A block that starts indented is rare: the generated lexer takes it.
    if (valid_symbols[TEXT] && !indented && scan_text(lexer, valid_symbols)) {
      lexer->result_symbol = TEXT;
      return true;
    }
    return false;
  }

  advance_line_end(lexer);
  lexer->mark_end(lexer);

  // Look at the next line without consuming it (mark_end stays put).
  unsigned indent = 0;
  while (is_blank(lexer->lookahead)) {
    lexer->advance(lexer, false);
    indent++;
  }
  bool next_is_blank = lexer->eof(lexer) || is_line_end(lexer->lookahead);

  if (next_is_blank) {
    // The block ends with this newline and takes the blank lines after it:
    // one top-level node per block, not two, halves what an incremental
    // reparse walks (every top-level node of the edited chunk). While
    // recovering, the blank line stays a token of its own: it is what stops
    // the recovery.
    if (valid_symbols[BLOCK_END] || recovering) {
      if (!recovering) advance_blank_lines(lexer);
      lexer->result_symbol = BLOCK_END;
      return true;
    }
    if (valid_symbols[DOCUMENT_NEWLINE]) {
      advance_blank_lines(lexer);
      lexer->result_symbol = DOCUMENT_NEWLINE;
      return true;
    }
    // Inside a claim or mention: a blank line may not continue it, so it
    // ends the block here too, and the parser closes what is open.
    lexer->result_symbol = BLOCK_END;
    return true;
  }

  // A conflict marker at the start of the next line ends the block, as a
  // blank line does (see marker_ends_block); other lines go on below, the
  // marker characters consumed being text.
  bool comment_like = lexer->lookahead == '%';
  if (indent == 0 && is_marker_char(lexer->lookahead) &&
      marker_ends_block(scan_marker(lexer), valid_symbols, recovering)) {
    if (valid_symbols[BLOCK_END] || valid_symbols[LINE_BREAK] || recovering) {
      lexer->result_symbol = BLOCK_END;
      return true;
    }
    if (valid_symbols[DOCUMENT_NEWLINE]) {
      lexer->result_symbol = DOCUMENT_NEWLINE;
      return true;
    }
    return false;
  }

  if (comment_like) {
    lexer->advance(lexer, false);
    if (lexer->lookahead == '%') {
      // Only a comment on the next line: the newline is an extra, and the
      // comment token takes the indentation.
      lexer->result_symbol = COMMENT_NEWLINE;
      return true;
    }
  } else if (indent > 0 && valid_symbols[PROPERTY_BREAK]) {
    lexer->mark_end(lexer);
    lexer->result_symbol = PROPERTY_BREAK;
    return true;
  }

  if (valid_symbols[TEXT] && runs_across_lines(valid_symbols) && !recovering && !comment_like) {
    // The line break and the prose after it are one text run.
    scan_text_rest(lexer, valid_symbols, false, 0);
    lexer->result_symbol = TEXT;
    return true;
  }
  if (valid_symbols[LINE_BREAK] || recovering) {
    lexer->result_symbol = LINE_BREAK;
    return true;
  }
  if (valid_symbols[BLOCK_END]) {
    lexer->result_symbol = BLOCK_END;
    return true;
  }
  if (valid_symbols[DOCUMENT_NEWLINE]) {
    lexer->result_symbol = DOCUMENT_NEWLINE;
    return true;
  }
  return false;
}
