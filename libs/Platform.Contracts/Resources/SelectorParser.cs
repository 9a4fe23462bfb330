namespace Platform.Contracts.Resources;

/// <summary>Recursive-descent parser of the label selector string form (see <see cref="Selector"/>).</summary>
internal sealed class SelectorParser(string text)
{
    private const int MaxLength = 4096;
    private int _pos;

    public Selector Parse()
    {
        if (text.Length > MaxLength) throw new FormatException($"selector is longer than {MaxLength} characters");
        var list = new List<SelectorRequirement>();
        SkipSpaces();
        if (_pos == text.Length) return Selector.Everything;
        while (true)
        {
            list.Add(ParseRequirement());
            SkipSpaces();
            if (_pos == text.Length) break;
            Expect(',');
        }
        return new Selector(list);
    }

    private SelectorRequirement ParseRequirement()
    {
        SkipSpaces();
        if (Peek() == '!')
        {
            _pos++;
            SkipSpaces();
            return new(ParseKey(), SelectorOperator.DoesNotExist, []);
        }
        var key = ParseKey();
        SkipSpaces();
        if (_pos == text.Length || Peek() == ',') return new(key, SelectorOperator.Exists, []);
        if (Peek() == '=')
        {
            _pos++;
            if (Peek() == '=') _pos++;
            return new(key, SelectorOperator.Equals, [ParseValue()]);
        }
        if (Peek() == '!' && _pos + 1 < text.Length && text[_pos + 1] == '=')
        {
            _pos += 2;
            return new(key, SelectorOperator.NotEquals, [ParseValue()]);
        }
        var word = ParseWord();
        return word switch
        {
            "in" => new(key, SelectorOperator.In, ParseSet()),
            "notin" => new(key, SelectorOperator.NotIn, ParseSet()),
            _ => throw new FormatException($"at position {_pos}: expected '=', '==', '!=', 'in' or 'notin' after key '{key}', found '{word}'"),
        };
    }

    private List<string> ParseSet()
    {
        SkipSpaces();
        Expect('(');
        var values = new List<string>();
        while (true)
        {
            SkipSpaces();
            if (Peek() == ')' && values.Count == 0) throw new FormatException($"at position {_pos}: a set needs at least one value");
            values.Add(ParseValue());
            SkipSpaces();
            if (Peek() == ')') { _pos++; return values; }
            Expect(',');
        }
    }

    private string ParseKey()
    {
        var key = ParseWord();
        if (key.Length == 0) throw new FormatException($"at position {_pos}: expected a label key");
        if (!LabelNames.IsValidKey(key)) throw new FormatException($"'{key}' is not a valid label key");
        return key;
    }

    private string ParseValue()
    {
        SkipSpaces();
        var value = ParseWord();
        if (!LabelNames.IsValidValue(value)) throw new FormatException($"'{value}' is not a valid label value");
        return value;
    }

    private string ParseWord()
    {
        var start = _pos;
        while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '-' or '_' or '.' or '/')) _pos++;
        return text[start.._pos];
    }

    private void Expect(char c)
    {
        if (Peek() != c) throw new FormatException($"at position {_pos}: expected '{c}'" + (_pos < text.Length ? $", found '{text[_pos]}'" : ", found end of selector"));
        _pos++;
    }

    private char Peek() => _pos < text.Length ? text[_pos] : '\0';

    private void SkipSpaces()
    {
        while (_pos < text.Length && text[_pos] == ' ') _pos++;
    }
}
