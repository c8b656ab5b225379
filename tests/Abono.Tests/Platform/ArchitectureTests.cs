using System.Reflection;
using NetArchTest.Rules;

namespace Abono.Tests.Platform;

/// <summary>
/// The layering of docs/architecture.md, checked on the compiled assembly (every type, member, signature and method
/// body, through NetArchTest): the foundation never reaches up into what is built on it.
/// </summary>
public class ArchitectureTests
{
    private static readonly Assembly Web = typeof(Abono.Web.Data.AbonoDbContext).Assembly;

    [Theory]
    [InlineData("Abono.Web.Platform")]
    [InlineData("Abono.Web.Gateways")]
    public void The_foundation_depends_on_no_feature(string foundation)
    {
        var result = Types.InAssembly(Web).That().ResideInNamespace(foundation)
            .ShouldNot().HaveDependencyOn("Abono.Web.Features").GetResult();

        Assert.True(result.IsSuccessful, $"{foundation} must not use Abono.Web.Features, but these do: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Gateway_adapters_do_not_touch_the_database()
    {
        // Adapters speak HTTP to providers; what a checkout is and how it is stored is the payment engine's business.
        var result = Types.InAssembly(Web).That().ResideInNamespace("Abono.Web.Gateways")
            .ShouldNot().HaveDependencyOnAny("Abono.Web.Data", "Microsoft.EntityFrameworkCore").GetResult();

        Assert.True(result.IsSuccessful, $"These gateway types use the database: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_rule_fails_when_a_platform_type_references_a_feature_type()
    {
        // The check above is only worth something if it can fail: a type of this very test assembly that names a
        // feature's entity, looked at with the same rule.
        var result = Types.InAssembly(typeof(ArchitectureTests).Assembly).That().HaveNameStartingWith(nameof(ForbiddenReference))
            .ShouldNot().HaveDependencyOn("Abono.Web.Features").GetResult();

        Assert.False(result.IsSuccessful);
    }

    [Fact]
    public void Every_module_is_listed_in_Program()
    {
        // A <Feature>Module.cs that Program.cs does not call registers nothing: its feature would silently lose its services.
        var program = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Abono.Web", "Program.cs"));
        var modules = Web.GetTypes().Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("Module", StringComparison.Ordinal)
            && t.Namespace?.StartsWith("Abono.Web.Features.", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(modules);
        foreach (var module in modules)
        {
            var adds = module.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name.StartsWith("Add", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(adds);
            Assert.All(adds, add => Assert.Contains($"builder.{add.Name}();", program));
            Assert.All(module.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name.StartsWith("Map", StringComparison.Ordinal)),
                map => Assert.Contains($"app.{map.Name}();", program));
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Abono.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Abono.slnx not found above the test's directory.");
    }
}

/// <summary>Stands in for a Platform type that broke the rule (see The_rule_fails_when_a_platform_type_references_a_feature_type).</summary>
internal sealed class ForbiddenReference
{
    public Abono.Web.Features.Payments.CheckoutState State { get; set; }
}
