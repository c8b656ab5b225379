namespace Abono.Web.Features.Documents.Dte;

/// <summary>Where an element starts and ends in the decoded text: [Start, End) covers "&lt;DTE ...&gt;...&lt;/DTE&gt;".</summary>
internal readonly record struct ElementSpan(string LocalName, int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// A small scan of the raw text, before any parser runs. It refuses what no DTE carries and what attacks a parser
/// (a DOCTYPE: billion laughs and external entities need one; absurd nesting), and it finds the exact extent of the
/// elements we keep as originals (DTE, TED, Cesion): XmlReader reports where an element starts, not where it ends.
/// The parser still judges well-formedness; this scan only has to agree with it on well-formed text.
/// </summary>
internal static class XmlElementLocator
{
    internal enum Outcome { Ok, Doctype, TooDeep, Malformed }

    public static Outcome Scan(string text, int maxDepth, IReadOnlySet<string> wanted, List<ElementSpan> spans)
    {
        var open = new Stack<(string Local, int Start, bool Wanted)>();
        var i = 0;
        while (true)
        {
            var lt = text.IndexOf('<', i);
            if (lt < 0)
            {
                break;
            }
            if (lt + 1 >= text.Length)
            {
                return Outcome.Malformed;
            }
            switch (text[lt + 1])
            {
                case '!' when string.CompareOrdinal(text, lt, "<!--", 0, 4) == 0:
                    i = After(text, "-->", lt + 4);
                    break;
                case '!' when string.CompareOrdinal(text, lt, "<![CDATA[", 0, 9) == 0:
                    i = After(text, "]]>", lt + 9);
                    break;
                case '!':
                    // <!DOCTYPE (or <!ENTITY outside one): never in a DTE, and the door to entity attacks.
                    return Outcome.Doctype;
                case '?':
                    i = After(text, "?>", lt + 2);
                    break;
                case '/':
                    {
                        var gt = text.IndexOf('>', lt + 2);
                        if (gt < 0 || open.Count == 0)
                        {
                            return Outcome.Malformed;
                        }
                        var top = open.Pop();
                        if (top.Wanted)
                        {
                            spans.Add(new ElementSpan(top.Local, top.Start, gt + 1));
                        }
                        i = gt + 1;
                        break;
                    }
                default:
                    {
                        var nameEnd = lt + 1;
                        while (nameEnd < text.Length && !IsNameEnd(text[nameEnd]))
                        {
                            nameEnd++;
                        }
                        var gt = EndOfStartTag(text, nameEnd);
                        if (gt < 0)
                        {
                            return Outcome.Malformed;
                        }
                        var name = text.AsSpan(lt + 1, nameEnd - lt - 1);
                        var colon = name.IndexOf(':');
                        var local = (colon >= 0 ? name[(colon + 1)..] : name).ToString();
                        var isWanted = wanted.Contains(local);
                        if (text[gt - 1] == '/')
                        {
                            if (isWanted)
                            {
                                spans.Add(new ElementSpan(local, lt, gt + 1));
                            }
                        }
                        else
                        {
                            open.Push((isWanted ? local : "", lt, isWanted));
                            if (open.Count > maxDepth)
                            {
                                return Outcome.TooDeep;
                            }
                        }
                        i = gt + 1;
                        break;
                    }
            }
            if (i < 0)
            {
                return Outcome.Malformed;
            }
        }
        if (open.Count != 0)
        {
            return Outcome.Malformed;
        }
        // Spans are recorded as elements close; callers pair them with the parsed elements in document order.
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        return Outcome.Ok;
    }

    private static bool IsNameEnd(char c) => c is ' ' or '\t' or '\r' or '\n' or '>' or '/';

    private static int After(string text, string terminator, int from)
    {
        var at = text.IndexOf(terminator, from, StringComparison.Ordinal);
        return at < 0 ? -1 : at + terminator.Length;
    }

    // The '>' that closes a start tag, skipping quoted attribute values (they may hold '>').
    private static int EndOfStartTag(string text, int from)
    {
        for (var k = from; k < text.Length; k++)
        {
            var c = text[k];
            if (c is '"' or '\'')
            {
                var close = text.IndexOf(c, k + 1);
                if (close < 0)
                {
                    return -1;
                }
                k = close;
            }
            else if (c == '>')
            {
                return k;
            }
        }
        return -1;
    }
}
