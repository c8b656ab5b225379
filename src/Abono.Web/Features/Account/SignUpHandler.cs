using System.Text.Json;
using Abono.Web.Data;
using Abono.Web.Features.Companies;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Validation;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Account;

public sealed record SignUpCommand(
    string? CompanyRut, string? LegalName, string? BusinessActivity, string? OwnerName, string? Email, string? Password);

/// <summary>What an activation link carries, sealed by Data Protection: the sign-up as typed, with the password already hashed.</summary>
public sealed record SignUpActivation(string Rut, string LegalName, string BusinessActivity, string OwnerName, string Email, string PasswordHash, DateTime IssuedAt);

/// <summary>
/// Crear cuenta: a company and its first Administrador, together or not at all.
/// From the page, sign-up goes through the email (<see cref="RequestAsync"/>): the page answers the same whether
/// or not the email or RUT already has an account, and the mailbox gets either an activation link or the news that
/// it is already registered. Nothing is stored until the link is used, so nobody can squat an email or a RUT with
/// an unconfirmed account. <see cref="HandleAsync"/> creates directly (the demo seed).
/// </summary>
public sealed class SignUpHandler(AbonoDbContext db, UserManager<AppUser> users, TimeProvider clock, IDataProtectionProvider protection, AppUrls urls)
{
    public static readonly TimeSpan ActivationLifetime = TimeSpan.FromHours(24);
    public const string RutTaken = "Ya existe una cuenta para ese RUT.";
    public const string EmailTaken = "Ya existe un usuario con ese correo.";
    public const string AlreadyActive = "Esta cuenta ya está activa. Ingresa con tu correo y contraseña.";

    private IDataProtector Protector => protection.CreateProtector("Abono.SignUp.Activation.v1");

    public async Task<(AppUser? User, FieldErrors Errors)> HandleAsync(SignUpCommand command, CancellationToken ct = default)
    {
        var (errors, rut, email) = await ValidateAsync(command);
        if (errors.Any)
        {
            return (null, errors);
        }
        if (await db.Companies.AnyAsync(c => c.Rut == rut, ct))
        {
            errors.Add(nameof(command.CompanyRut), RutTaken);
        }
        if (await users.FindByEmailAsync(email) is not null)
        {
            errors.Add(nameof(command.Email), EmailTaken);
        }
        if (errors.Any)
        {
            return (null, errors);
        }
        var user = NewUser(command.OwnerName!, email);
        return await CreateAsync(rut, command.LegalName!, command.BusinessActivity!, user, command.Password!, ct);
    }

    /// <summary>
    /// The page's sign-up: problems with what was typed (format, password rules) come back as field errors, as they
    /// reveal nothing; otherwise an email goes out and the answer is the same for a new and a registered email or RUT.
    /// </summary>
    public async Task<FieldErrors> RequestAsync(SignUpCommand command, CancellationToken ct = default)
    {
        var (errors, rut, email) = await ValidateAsync(command);
        if (errors.Any)
        {
            return errors;
        }
        // Hashed in every case, so a registered email does not answer faster than a new one.
        var passwordHash = users.PasswordHasher.HashPassword(NewUser(command.OwnerName!, email), command.Password!);
        var now = clock.GetUtcNow().UtcDateTime;
        EmailLayout body;
        string subject;
        var existing = await users.FindByEmailAsync(email);
        var rutTaken = await db.Companies.AnyAsync(c => c.Rut == rut, ct);
        if (existing is not null)
        {
            subject = "Ya tienes una cuenta en Abono";
            body = new EmailLayout(EmailBrand.Abono, subject)
                .Paragraph($"Hola {existing.FullName}:\n\nAlguien (quizás tú) intentó crear una cuenta de Abono con este correo, pero ya tienes una. No creamos otra ni cambiamos nada.")
                .Button("Ingresar a Abono", urls.Absolute("/ingresar"), "Ingresa aquí")
                .FinePrint("Si no fuiste tú, puedes ignorar este correo: tu cuenta sigue igual.");
        }
        else if (rutTaken)
        {
            subject = "Tu empresa ya tiene una cuenta en Abono";
            body = new EmailLayout(EmailBrand.Abono, subject)
                .Paragraph($"Hola {command.OwnerName!.Trim()}:\n\nIntentaste crear una cuenta de Abono para el RUT {Rut.Parse(rut).Formatted}, pero esa empresa ya tiene una. " +
                    "Pide a un Administrador de esa cuenta que te invite desde Mi cuenta → Usuarios.")
                .FinePrint("Si no fuiste tú, puedes ignorar este correo.");
        }
        else
        {
            var activation = new SignUpActivation(rut, command.LegalName!.Trim(), command.BusinessActivity!.Trim(), command.OwnerName!.Trim(), email, passwordHash, now);
            var token = Protector.Protect(JsonSerializer.Serialize(activation));
            subject = "Activa tu cuenta de Abono";
            body = new EmailLayout(EmailBrand.Abono, subject)
                .Paragraph($"Hola {activation.OwnerName}:\n\nPara terminar de crear la cuenta de {activation.LegalName} en Abono, confirma que este correo es tuyo.")
                .Button("Activar mi cuenta", urls.Absolute($"/crear-cuenta/activar/{token}"), "Actívala aquí")
                .FinePrint("El enlace vence en 24 horas. Si no creaste esta cuenta, ignora este correo: no se creará nada.");
        }
        db.Outbox.Add(OutboxMessage.Email(null, new EmailMessage(email, subject, body.Text, HtmlBody: body.Html), now));
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>The sign-up a link carries, or null when it was tampered with or is older than <see cref="ActivationLifetime"/>.</summary>
    public SignUpActivation? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4000)
        {
            return null;
        }
        SignUpActivation? activation;
        try
        {
            activation = JsonSerializer.Deserialize<SignUpActivation>(Protector.Unprotect(token));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        return activation is not null && activation.IssuedAt <= now && now - activation.IssuedAt <= ActivationLifetime ? activation : null;
    }

    /// <summary>Creates the account a link carries. Whoever opens it holds the mailbox, so a conflict can be said plainly.</summary>
    public async Task<(AppUser? User, string? Problem)> ActivateAsync(string? token, CancellationToken ct = default)
    {
        var activation = Read(token);
        if (activation is null)
        {
            return (null, "El enlace no es válido o venció. Crea tu cuenta de nuevo.");
        }
        if (await users.FindByEmailAsync(activation.Email) is not null)
        {
            return (null, AlreadyActive);
        }
        var user = NewUser(activation.OwnerName, activation.Email);
        user.PasswordHash = activation.PasswordHash;
        var (created, errors) = await CreateAsync(activation.Rut, activation.LegalName, activation.BusinessActivity, user, password: null, ct);
        return created is not null ? (created, null) : (null, errors.All.Values.SelectMany(m => m).FirstOrDefault() ?? "No se pudo crear la cuenta.");
    }

    private async Task<(FieldErrors Errors, string Rut, string Email)> ValidateAsync(SignUpCommand command)
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
            return (errors, "", "");
        }
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, NewUser("", email!), command.Password!);
            foreach (var error in result.Errors)
            {
                errors.Add(nameof(command.Password), error.Description);
            }
        }
        return (errors, Rut.Parse(command.CompanyRut!).Normalized, email!);
    }

    private AppUser NewUser(string ownerName, string email) => new()
    {
        FullName = ownerName.Trim(),
        Email = email,
        UserName = email,
        EmailConfirmed = true,
        CreatedAt = clock.GetUtcNow().UtcDateTime,
    };

    /// <param name="password">Null when <paramref name="user"/> already carries its password hash (activation).</param>
    private async Task<(AppUser? User, FieldErrors Errors)> CreateAsync(
        string rut, string legalName, string businessActivity, AppUser user, string? password, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var company = new Company
        {
            Rut = rut,
            LegalName = legalName.Trim(),
            BusinessActivity = businessActivity.Trim(),
            Email = user.Email!,
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
            errors.Add("CompanyRut", RutTaken);
            return (null, errors);
        }

        user.CompanyId = company.Id;
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                errors.Add(error.Code.Contains("Password") ? "Password" : "Email", error.Description);
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
        else if (Rules.HasControlCharacters(value.Trim()))
        {
            errors.Add(field, Rules.ControlCharactersMessage);
        }
    }
}
