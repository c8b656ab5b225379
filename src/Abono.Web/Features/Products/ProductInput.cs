using System.ComponentModel.DataAnnotations;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Validation;

namespace Abono.Web.Features.Products;

public sealed class ProductInput
{
    [Display(Name = "Código")]
    public string? Code { get; set; }

    [Display(Name = "Nombre")]
    public string? Name { get; set; }

    [Display(Name = "Precio unitario")]
    public long? UnitPrice { get; set; }

    [Display(Name = "Exento de IVA")]
    public bool IsExempt { get; set; }

    [Display(Name = "Activo (disponible en Punto de venta)")]
    public bool IsActive { get; set; } = true;

    public static ProductInput From(Product p) => new()
    {
        Code = p.Code, Name = p.Name, UnitPrice = p.UnitPrice, IsExempt = p.IsExempt, IsActive = p.IsActive,
    };

    public FieldErrors ApplyTo(Product product)
    {
        var errors = new FieldErrors();
        var code = Rules.Clean(Code);
        if (code is null)
        {
            errors.Add(nameof(Code), "Ingresa el código.");
        }
        else if (code.Length > 40)
        {
            errors.Add(nameof(Code), "Máximo 40 caracteres.");
        }
        else
        {
            errors.RefuseControlCharacters(nameof(Code), code);
        }
        var name = Rules.Clean(Name);
        if (name is null)
        {
            errors.Add(nameof(Name), "Ingresa el nombre.");
        }
        else if (name.Length > 200)
        {
            errors.Add(nameof(Name), "Máximo 200 caracteres.");
        }
        else
        {
            errors.RefuseControlCharacters(nameof(Name), name);
        }
        if (UnitPrice is not > 0)
        {
            errors.Add(nameof(UnitPrice), "El precio debe ser mayor que cero.");
        }
        else if (UnitPrice > IssueLimits.MaxUnitPrice)
        {
            errors.Add(nameof(UnitPrice), "El precio es demasiado alto.");
        }
        if (errors.Any)
        {
            return errors;
        }
        product.Code = code!.ToUpperInvariant();
        product.Name = name!;
        product.UnitPrice = UnitPrice!.Value;
        product.IsExempt = IsExempt;
        product.IsActive = IsActive;
        return errors;
    }
}
