using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace Abono.Web.Platform.Web;

/// <summary>Model binding speaks Spanish too: "abc" in a number field must not answer in English.</summary>
public static class SpanishBindingMessages
{
    public static void Apply(DefaultModelBindingMessageProvider p)
    {
        p.SetAttemptedValueIsInvalidAccessor((value, field) => $"El valor «{value}» no es válido para {field}.");
        p.SetMissingBindRequiredValueAccessor(field => $"Falta el valor de {field}.");
        p.SetMissingKeyOrValueAccessor(() => "Falta un valor.");
        p.SetMissingRequestBodyRequiredValueAccessor(() => "Falta el cuerpo de la solicitud.");
        p.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"El valor «{value}» no es válido.");
        p.SetNonPropertyUnknownValueIsInvalidAccessor(() => "El valor no es válido.");
        p.SetNonPropertyValueMustBeANumberAccessor(() => "Debe ser un número.");
        p.SetUnknownValueIsInvalidAccessor(field => $"El valor de {field} no es válido.");
        p.SetValueIsInvalidAccessor(value => $"El valor «{value}» no es válido.");
        p.SetValueMustBeANumberAccessor(field => $"{field} debe ser un número.");
        p.SetValueMustNotBeNullAccessor(value => $"Ingresa un valor para {value}.");
    }
}
