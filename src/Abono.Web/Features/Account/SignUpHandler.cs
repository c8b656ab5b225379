using Abono.Web.Data;
using Abono.Web.Features.Companies;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Account;

public sealed record SignUpCommand(
    string? CompanyRut, string? LegalName, string? BusinessActivity, string? OwnerName, string? Email, string? Password);

/// <summary>Crear cuenta: a company and its first Administrador, together or not at all.</summary>
public sealed class SignUpHandler(AbonoDbContext db, UserManager<AppUser> users, TimeProvider clock)
{
    public async Task<(AppUser? User, FieldErrors Errors)> HandleAsync(SignUpCommand command, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var rutError = Rut.Validate(command.CompanyRut);
        if (rutError is not null)
        {
            errors.Add(nameof(command.CompanyRut), rutError);
        }
        Require(errors, nameof(command.LegalName), command.LegalName, "Ingresa la razón social.", 200);
        Require(errors, nameof(command.BusinessActivity), command.BusinessActivity, "Ingresa el giro.", 200);
        Require(errors, nameof(command.OwnerName), command.OwnerName, "Ingresa tu nombre.", 200);
        var email = Rules.Clean(command.Email);
        if (!Rules.IsValidEmail(email))
        {
            errors.Add(nameof(command.Email), "Ingresa un correo válido, por ejemplo nombre@empresa.cl.");
        }
        if (string.IsNullOrEmpty(command.Password))
        {
            errors.Add(nameof(command.Password), "Ingresa una contraseña.");
        }
        if (errors.Any)
        {
            return (null, errors);
        }

        var rut = Rut.Parse(command.CompanyRut!).Normalized;
        if (await db.Companies.AnyAsync(c => c.Rut == rut, ct))
        {
            errors.Add(nameof(command.CompanyRut), "Ya existe una cuenta para ese RUT.");
        }
        if (await users.FindByEmailAsync(email!) is not null)
        {
            errors.Add(nameof(command.Email), "Ya existe un usuario con ese correo.");
        }
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, new AppUser { FullName = "", Email = email, UserName = email }, command.Password!);
            foreach (var error in result.Errors)
            {
                errors.Add(nameof(command.Password), error.Description);
            }
        }
        if (errors.Any)
        {
            return (null, errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var company = new Company
        {
            Rut = rut,
            LegalName = command.LegalName!.Trim(),
            BusinessActivity = command.BusinessActivity!.Trim(),
            Email = email!,
            CreatedAt = now,
        };
        db.Companies.Add(company);
        foreach (var type in DocumentTypes.All)
        {
            db.FolioCounters.Add(new FolioCounter { CompanyId = company.Id, DocumentType = type, LastFolio = 0 });
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // Another sign-up for the same RUT won the race between our check and this insert.
            errors.Add(nameof(command.CompanyRut), "Ya existe una cuenta para ese RUT.");
            return (null, errors);
        }

        var user = new AppUser
        {
            CompanyId = company.Id,
            FullName = command.OwnerName!.Trim(),
            Email = email,
            UserName = email,
            EmailConfirmed = true,
            CreatedAt = now,
        };
        var created = await users.CreateAsync(user, command.Password!);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                errors.Add(error.Code.Contains("Password") ? nameof(command.Password) : nameof(command.Email), error.Description);
            }
            return (null, errors);
        }
        await users.AddToRoleAsync(user, Roles.Administrador);
        await transaction.CommitAsync(ct);
        return (user, errors);
    }

    internal static void Require(FieldErrors errors, string field, string? value, string message, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, message);
        }
        else if (value.Trim().Length > maxLength)
        {
            errors.Add(field, $"Máximo {maxLength} caracteres.");
        }
    }
}
