using System.ComponentModel.DataAnnotations;

namespace Abono.Web.Features.Documents;

// The forms of a factura's detail (/documentos/{id}): Registrar cesión, Deshacer cesión, Marcar como reclamada.
// Values stay strings where a person types them, so a wrong value comes back as typed with a Spanish message.

public sealed class CessionInput
{
    [Display(Name = "RUT del cesionario")]
    public string? Rut { get; set; }

    [Display(Name = "Razón social del cesionario")]
    public string? Name { get; set; }

    [Display(Name = "Fecha de la cesión")]
    public DateOnly? Date { get; set; }

    [Display(Name = "Monto cedido (opcional)")]
    public string? Amount { get; set; }

    [Display(Name = "Nota (opcional)")]
    public string? Note { get; set; }
}

public sealed class RevertCessionInput
{
    [Display(Name = "Nota (obligatoria)")]
    public string? Note { get; set; }

    [Display(Name = "Confirmo que la factura volvió a la empresa y se puede cobrar de nuevo")]
    public bool Confirm { get; set; }
}

public sealed class ClaimInput
{
    [Display(Name = "Motivo del reclamo")]
    public DocumentClaim? Reason { get; set; }

    [Display(Name = "Nota (opcional)")]
    public string? Note { get; set; }
}
