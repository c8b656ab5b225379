using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Abono.Web.Platform.Web;

/// <summary>
/// Binds <c>bool</c> and <c>bool?</c> form fields the way browsers send them ("true", "false", "on", or "true,false" from a
/// checkbox and its hidden field). Anything else is a Spanish error on the field with the value kept as "false" (or
/// empty): the default binder kept the hostile text itself, and redisplaying the checkbox then threw while rendering
/// (a 500 the fuzz pass found on the cesión forms).
/// </summary>
public sealed class CheckboxBooleanBinderProvider : IModelBinderProvider
{
    public const string Invalid = "Elige sí o no.";

    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.UnderlyingOrModelType == typeof(bool) ? new Binder(context.Metadata.IsReferenceOrNullableType) : null;

    private sealed class Binder(bool nullable) : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext context)
        {
            var values = context.ValueProvider.GetValue(context.ModelName);
            if (values == ValueProviderResult.None)
            {
                return Task.CompletedTask;
            }
            var first = values.FirstValue?.Trim();
            if (string.IsNullOrEmpty(first))
            {
                context.ModelState.SetModelValue(context.ModelName, nullable ? null : false, nullable ? "" : "false");
                context.Result = ModelBindingResult.Success(nullable ? null : false);
                return Task.CompletedTask;
            }
            bool? parsed = bool.TryParse(first, out var value) ? value : first.Equals("on", StringComparison.OrdinalIgnoreCase) ? true : null;
            if (parsed is { } known)
            {
                context.ModelState.SetModelValue(context.ModelName, known, known ? "true" : "false");
                context.Result = ModelBindingResult.Success(known);
                return Task.CompletedTask;
            }
            context.ModelState.SetModelValue(context.ModelName, nullable ? null : false, nullable ? "" : "false");
            context.ModelState.TryAddModelError(context.ModelName, Invalid);
            context.Result = ModelBindingResult.Failed();
            return Task.CompletedTask;
        }
    }
}
