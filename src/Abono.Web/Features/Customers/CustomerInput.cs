using System.ComponentModel.DataAnnotations;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;

namespace Abono.Web.Features.Customers;

/// <summary>The Cliente form. Validation normalizes RUT and phone so what is stored is always comparable.</summary>
public sealed class CustomerInput
{
    public const int MaxCreditDays = 365;

    [Display(Name = "RUT")]
    public string? Rut { get; set; }

    [Display(Name = "Nombre o razón social")]
    public string? Name { get; set; }

    [Display(Name = "Correo electrónico")]
    public string? Email { get; set; }

    [Display(Name = "Teléfono")]
    public string? Phone { get; set; }

    [Display(Name = "Dirección")]
    public string? Address { get; set; }

    [Display(Name = "Días de crédito")]
    public int? CreditDays { get; set; }

    [Display(Name = "Enviar recordatorios de pago por correo")]
    public bool RemindersEnabled { get; set; } = true;

    public static CustomerInput From(Customer c) => new()
    {
        Rut = Platform.Chile.Rut.Format(c.Rut),
        Name = c.Name,
        Email = c.Email,
        Phone = ChileanPhone.Format(c.Phone),
        Address = c.Address,
        CreditDays = c.CreditDays,
        RemindersEnabled = c.RemindersEnabled,
    };

    /// <summary>Writes the validated, normalized values onto the customer, or returns the errors.</summary>
    public FieldErrors ApplyTo(Customer customer)
    {
        var errors = new FieldErrors();
        var rutError = Platform.Chile.Rut.Validate(Rut);
        if (rutError is not null)
        {
            errors.Add(nameof(Rut), rutError);
        }
        var name = Rules.Clean(Name);
        if (name is null)
        {
            errors.Add(nameof(Name), "Ingresa el nombre o razón social.");
        }
        else if (name.Length > 200)
        {
            errors.Add(nameof(Name), "Máximo 200 caracteres.");
        }
        else
        {
            errors.RefuseControlCharacters(nameof(Name), name);
        }
        var email = Rules.Clean(Email);
        if (email is not null && !Rules.IsValidEmail(email))
        {
            errors.Add(nameof(Email), "Ingresa un correo válido, por ejemplo contacto@cliente.cl.");
        }
        var phoneInput = Rules.Clean(Phone);
        string? phone = null;
        if (phoneInput is not null)
        {
            if (ChileanPhone.TryNormalize(phoneInput, out var e164))
            {
                phone = e164;
            }
            else
            {
                errors.Add(nameof(Phone), "Ingresa un teléfono chileno válido, por ejemplo +56 9 1234 5678.");
            }
        }
        var address = Rules.Clean(Address);
        if (address?.Length > 300)
        {
            errors.Add(nameof(Address), "Máximo 300 caracteres.");
        }
        else
        {
            errors.RefuseControlCharacters(nameof(Address), address);
        }
        if (CreditDays is < 0 or > MaxCreditDays)
        {
            errors.Add(nameof(CreditDays), $"Los días de crédito deben estar entre 0 y {MaxCreditDays}.");
        }
        if (errors.Any)
        {
            return errors;
        }

        customer.Rut = Platform.Chile.Rut.Parse(Rut!).Normalized;
        customer.Name = name!;
        customer.Email = email;
        customer.Phone = phone;
        customer.Address = address;
        customer.CreditDays = CreditDays ?? 0;
        customer.RemindersEnabled = RemindersEnabled;
        return errors;
    }
}
