package dev.brownout.degradation;

/**
 * Reads a switch file in {@code java.util.Properties} syntax, entry by entry, with the line of
 * each.
 *
 * <p>The grammar is the one {@link java.util.Properties#load(java.io.Reader)} documents, so that
 * any tool that writes Properties writes a switch file: natural lines end at {@code \n}, {@code \r}
 * or {@code \r\n}; a line ending in an odd number of backslashes continues on the next one, whose
 * leading blanks are dropped; a line whose first non-blank character is {@code #} or {@code !} is a
 * comment; the key ends at the first unescaped {@code =}, {@code :} or blank, and one separator
 * with blanks around it is skipped; {@code \t \n \r \f \\uXXXX} are escapes and a backslash before
 * any other character stands for that character. {@code PropertiesSyntaxProperties} checks this
 * reader against {@code Properties} itself.
 *
 * <p>Why not {@code Properties.load}: it keeps the last of two entries for one key, silently, and
 * cannot say on which line an entry was. A switch file refuses both the silent loss and the unnamed
 * error. Two things are added on top of the syntax, both invisible to {@code Properties}: the
 * comment line {@code # end} ends the file (nothing but blank lines may follow it), and a feature
 * set twice is an error. The reader makes one pass over the text, and messages quote at most a
 * bounded slice of it.
 */
final class PropertiesReader {

  /** Where the reader puts each entry it finds, with the line the entry starts on. */
  interface Entries {
    void put(int line, String key, String value);
  }

  private final String text;
  private final Entries entries;
  private int at;
  private int line = 1;
  private int endLine;

  private PropertiesReader(String text, Entries entries) {
    this.text = text;
    this.entries = entries;
  }

  /**
   * Gives each entry of {@code text} to {@code entries}; returns whether it ends with its end line.
   */
  static boolean read(String text, Entries entries) {
    PropertiesReader reader = new PropertiesReader(text, entries);
    reader.readAll();
    return reader.endLine > 0;
  }

  private void readAll() {
    StringBuilder logical = new StringBuilder();
    while (at < text.length()) {
      int first = line;
      skipBlanks();
      if (atLineEnd()) {
        endOfLine();
        continue;
      }
      if (endLine > 0) {
        throw new IllegalArgumentException(
            "line "
                + first
                + ": text after the line '"
                + SwitchFile.END
                + "' (line "
                + endLine
                + "), which ends the file");
      }
      char c = text.charAt(at);
      if (c == '#' || c == '!') {
        int start = at;
        skipToLineEnd();
        if (text.substring(start, at).strip().equals(SwitchFile.END)) {
          endLine = first;
        }
        endOfLine();
        continue;
      }
      logical.setLength(0);
      if (readLogicalLine(logical)) {
        entry(first, logical);
      }
    }
  }

  /**
   * Appends the natural lines of one logical line to {@code logical}, without the backslashes that
   * continue it; returns whether it is an entry. A continuation line that is blank ends the logical
   * line; one that starts, after its blanks, with {@code #} or {@code !} while nothing has been
   * read yet makes it a comment. As in {@code Properties}, a backslash that ends the text (or whose
   * line end of one character does) ends the entry (an entry with an empty key if it is all there
   * is: no feature has that name, so it is reported), and a continuation that only reaches a blank
   * line is no entry.
   */
  private boolean readLogicalLine(StringBuilder logical) {
    while (true) {
      int start = at;
      skipToLineEnd();
      logical.append(text, start, at);
      int backslashes = 0;
      for (int i = logical.length() - 1; i >= 0 && logical.charAt(i) == '\\'; i--) {
        backslashes++;
      }
      if (backslashes % 2 == 0) {
        endOfLine();
        return true;
      }
      logical.setLength(logical.length() - 1);
      if (at + 1 >= text.length()) {
        return true; // the backslash, or the one character ending its line, ends the text
      }
      endOfLine();
      skipBlanks();
      if (atLineEnd()) {
        endOfLine();
        return logical.length() > 0;
      }
      char c = text.charAt(at);
      if (logical.length() == 0 && (c == '#' || c == '!')) {
        skipToLineEnd();
        endOfLine();
        return false;
      }
    }
  }

  /** Splits one logical line into its key and value, and adds the entry. */
  private void entry(int first, CharSequence logical) {
    int keyEnd = 0;
    int valueStart = logical.length();
    boolean separator = false;
    boolean escaped = false;
    for (; keyEnd < logical.length(); keyEnd++) {
      char c = logical.charAt(keyEnd);
      if (!escaped && (c == '=' || c == ':')) {
        valueStart = keyEnd + 1;
        separator = true;
        break;
      }
      if (!escaped && isBlank(c)) {
        valueStart = keyEnd + 1;
        break;
      }
      escaped = c == '\\' && !escaped;
    }
    for (; valueStart < logical.length(); valueStart++) {
      char c = logical.charAt(valueStart);
      if (!isBlank(c)) {
        if (separator || (c != '=' && c != ':')) {
          break;
        }
        separator = true;
      }
    }
    String key = unescape(first, logical, 0, keyEnd);
    String value = unescape(first, logical, valueStart, logical.length());
    entries.put(first, key, value);
  }

  /** The characters of {@code logical} from {@code start} to {@code end}, escapes resolved. */
  private static String unescape(int line, CharSequence logical, int start, int end) {
    StringBuilder out = new StringBuilder(end - start);
    for (int i = start; i < end; i++) {
      char c = logical.charAt(i);
      if (c != '\\' || i + 1 >= end) {
        out.append(c);
        continue;
      }
      char escaped = logical.charAt(++i);
      switch (escaped) {
        case 't' -> out.append('\t');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 'f' -> out.append('\f');
        case 'u' -> {
          int value = end - i > 4 ? SwitchFile.hex4(logical, i + 1) : -1;
          if (value < 0) {
            String found = logical.subSequence(i - 1, Math.min(end, i + 5)).toString();
            throw new IllegalArgumentException(
                "line "
                    + line
                    + ": a \\u escape needs four hex digits, but was '"
                    + SwitchFile.quote(found)
                    + "'");
          }
          out.append((char) value);
          i += 4;
        }
        default -> out.append(escaped);
      }
    }
    return out.toString();
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\f';
  }

  private boolean atLineEnd() {
    return at >= text.length() || text.charAt(at) == '\n' || text.charAt(at) == '\r';
  }

  private void skipBlanks() {
    while (at < text.length() && isBlank(text.charAt(at))) {
      at++;
    }
  }

  private void skipToLineEnd() {
    while (!atLineEnd()) {
      at++;
    }
  }

  /** Moves past the line end at {@code at} ({@code \n}, {@code \r} or {@code \r\n}), if any. */
  private void endOfLine() {
    if (at < text.length()) {
      if (text.charAt(at) == '\r' && at + 1 < text.length() && text.charAt(at + 1) == '\n') {
        at++;
      }
      at++;
      line++;
    }
  }
}
