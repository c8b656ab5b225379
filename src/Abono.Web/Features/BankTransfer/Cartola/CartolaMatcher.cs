using System.Text.RegularExpressions;
using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.BankTransfer.Cartola;

public enum ProposalKind
{
    /// <summary>A transfer the customer declared in the portal (its TR- code, or its customer and amount).</summary>
    DeclaredTransfer = 1,

    /// <summary>Open documents of the sender's customer, paid by this credit with no checkout of their own.</summary>
    Documents = 2,
}

public sealed record ProposedDocument(long Id, DocumentType Type, long Folio, DateOnly DueDate, long Balance)
{
    public string Label => $"{Type.ShortName()} N° {Folio}";
}

/// <summary>One way to confirm a credit. The key names it in forms; the server recomputes proposals and accepts only a current one.</summary>
public sealed record Proposal(string Key, ProposalKind Kind, long CustomerId, string CustomerName, string CustomerRut, Guid? CheckoutId,
    List<ProposedDocument> Documents, string Why);

/// <summary>What the cartola's credit could be. Exact: one proposal only, claimed by no other credit of the list.</summary>
public sealed record LineProposals(BankStatementLine Line, List<Proposal> Options, bool Exact, string? Note);

/// <summary>
/// Proposes what each unmatched credit pays. First a declared transfer's TR- code in the description or reference,
/// with the checkout's amount; then, for the sender's RUT, declared transfers of that customer for the same amount,
/// one open document whose balance is the amount, the oldest-first run of documents adding up to it, or (a bounded
/// search) two or three of the customer's 12 oldest documents. Documents held by another checkout ("pago en
/// proceso"), ceded or claimed are never proposed. Everything is read once per call and matched in memory, so a
/// cartola of thousands of lines costs three queries.
/// </summary>
public sealed partial class CartolaMatcher(AbonoDbContext db)
{
    private const int SubsetWindow = 12;
    private const int MaxOptions = 5;

    private sealed record Declared(Guid CheckoutId, long Amount, long CustomerId, string Rut, string Name)
    {
        public string Code => TransferGateway.ReferenceCode(CheckoutId);
    }

    private sealed record Open(long Id, DocumentType Type, long Folio, DateOnly DueDate, long Balance, long CustomerId, string Rut, string Name);

    public async Task<List<LineProposals>> ProposeAsync(IReadOnlyList<BankStatementLine> lines, CancellationToken ct)
    {
        if (lines.Count == 0)
        {
            return [];
        }
        var declared = await (from t in db.TransferDeclarations
                              where t.Status == TransferStatus.Declared
                              join c in db.Checkouts on t.CheckoutId equals c.Id
                              join cu in db.Customers on c.CustomerId equals cu.Id
                              select new Declared(t.CheckoutId, c.Amount, cu.Id, cu.Rut, cu.Name)).AsNoTracking().ToListAsync(ct);
        var byCode = declared.ToLookup(d => d.Code);
        var declaredByRut = declared.ToLookup(d => d.Rut);
        // A code whose transfer was already decided (confirmed by hand in Transferencias, or rejected) must never fall
        // through to matching the customer's other documents: that credit is already booked, or was refused.
        var decided = (await db.TransferDeclarations.Where(t => t.Status != TransferStatus.Declared).Select(t => t.CheckoutId).ToListAsync(ct))
            .Select(TransferGateway.ReferenceCode).ToHashSet();

        var ruts = lines.Where(l => l.SenderRut is not null).Select(l => l.SenderRut!).Distinct().ToList();
        var open = ruts.Count == 0 ? [] : await (
            from d in db.Documents
            join cu in db.Customers on d.CustomerId equals cu.Id
            where d.Balance > 0 && d.Type != DocumentType.NotaCredito && d.CededToRut == null && d.Claim == null
                && !db.DocumentPaymentLocks.Any(l => l.DocumentId == d.Id)
                && ruts.Contains(cu.Rut)
            orderby d.DueDate, d.Id
            select new Open(d.Id, d.Type, d.Folio, d.DueDate, d.Balance, cu.Id, cu.Rut, cu.Name)).AsNoTracking().ToListAsync(ct);
        var documentsByRut = open.GroupBy(d => d.Rut).ToDictionary(g => g.Key, g => g.ToList());

        var proposals = lines.Select(line => Propose(line, byCode, decided, declaredByRut, documentsByRut)).ToList();
        return Deconflict(proposals);
    }

    private static LineProposals Propose(BankStatementLine line, ILookup<string, Declared> byCode, HashSet<string> decided, ILookup<string, Declared> declaredByRut,
        Dictionary<string, List<Open>> documentsByRut)
    {
        var codes = Codes(line);
        if (codes.FirstOrDefault(decided.Contains) is { } done)
        {
            return new LineProposals(line, [], false,
                $"La transferencia {done} ya se decidió en Transferencias por confirmar: este abono no se vuelve a proponer.");
        }
        if (codes.Count > 0)
        {
            var found = codes.SelectMany(c => byCode[c]).Distinct().ToList();
            if (found.Count > 0)
            {
                var matching = found.Where(d => d.Amount == line.Amount).ToList();
                return matching.Count > 0
                    ? new LineProposals(line, matching.Select(d => Transfer(d, $"Código {d.Code} y monto")).ToList(), matching.Count == 1, null)
                    : new LineProposals(line, [], false,
                        $"El código {found[0].Code} es de una transferencia por confirmar de {Platform.Chile.ChileFormats.Clp(found[0].Amount)}: el monto no coincide. Revísala en Transferencias por confirmar.");
            }
        }
        if (line.SenderRut is not { } rut)
        {
            return new LineProposals(line, [], false, null);
        }
        var options = declaredByRut[rut].Where(d => d.Amount == line.Amount).Select(d => Transfer(d, "RUT y monto de una transferencia informada")).ToList();
        if (documentsByRut.TryGetValue(rut, out var documents))
        {
            foreach (var set in DocumentSets(documents, line.Amount))
            {
                if (options.Count >= MaxOptions)
                {
                    break;
                }
                options.Add(new Proposal("d:" + string.Join('-', set.Select(d => d.Id)), ProposalKind.Documents, set[0].CustomerId, set[0].Name, set[0].Rut, null,
                    set.Select(d => new ProposedDocument(d.Id, d.Type, d.Folio, d.DueDate, d.Balance)).ToList(),
                    set.Count == 1 ? "RUT y saldo del documento" : $"RUT y suma de {set.Count} documentos"));
            }
        }
        return new LineProposals(line, options, options.Count == 1, null);
    }

    /// <summary>Single documents first, then the oldest-first run, then pairs and triples of the oldest documents: bounded, never exponential.</summary>
    private static IEnumerable<List<Open>> DocumentSets(List<Open> documents, long amount)
    {
        var seen = new HashSet<string>();
        foreach (var d in documents.Where(d => d.Balance == amount))
        {
            if (seen.Add(d.Id.ToString()))
            {
                yield return [d];
            }
        }
        long sum = 0;
        for (var i = 0; i < documents.Count && sum < amount; i++)
        {
            sum += documents[i].Balance;
            if (sum == amount && i > 0)
            {
                var run = documents.Take(i + 1).ToList();
                if (seen.Add(string.Join('-', run.Select(d => d.Id))))
                {
                    yield return run;
                }
            }
        }
        var window = documents.Take(SubsetWindow).ToList();
        for (var a = 0; a < window.Count; a++)
        {
            for (var b = a + 1; b < window.Count; b++)
            {
                var pair = window[a].Balance + window[b].Balance;
                if (pair == amount && seen.Add($"{window[a].Id}-{window[b].Id}"))
                {
                    yield return [window[a], window[b]];
                }
                for (var c = b + 1; c < window.Count && pair < amount; c++)
                {
                    if (pair + window[c].Balance == amount && seen.Add($"{window[a].Id}-{window[b].Id}-{window[c].Id}"))
                    {
                        yield return [window[a], window[b], window[c]];
                    }
                }
            }
        }
    }

    /// <summary>Two credits offering the same documents or transfer cannot both be confirmed in bulk: each becomes a suggestion.</summary>
    private static List<LineProposals> Deconflict(List<LineProposals> proposals)
    {
        var claims = proposals.Where(p => p.Exact).SelectMany(p => Claims(p.Options[0])).GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        if (claims.Count == 0)
        {
            return proposals;
        }
        return proposals.Select(p => p.Exact && Claims(p.Options[0]).Any(claims.Contains)
            ? p with { Exact = false, Note = "Otro abono de la cartola calza con lo mismo: elige cuál confirmar." }
            : p).ToList();
    }

    private static IEnumerable<string> Claims(Proposal option) =>
        option.CheckoutId is { } id ? [id.ToString()] : option.Documents.Select(d => d.Id.ToString());

    private static Proposal Transfer(Declared d, string why) =>
        new("t:" + d.CheckoutId.ToString("N"), ProposalKind.DeclaredTransfer, d.CustomerId, d.Name, d.Rut, d.CheckoutId, [], why);

    /// <summary>TR- codes in the description or reference; banks drop the dash or put a space in its place.</summary>
    public static List<string> Codes(BankStatementLine line) =>
        TrCode().Matches($"{line.Description} {line.Reference}").Select(m => "TR-" + m.Groups[1].Value.ToUpperInvariant()).Distinct().ToList();

    [GeneratedRegex(@"(?<![A-Za-z0-9])TR[-\s]?([0-9A-Fa-f]{8})(?![A-Za-z0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex TrCode();
}
