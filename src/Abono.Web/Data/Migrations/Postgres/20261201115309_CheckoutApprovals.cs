using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Abono.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CheckoutApprovals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Payments_CheckoutId",
                table: "Payments");

            migrationBuilder.AddColumn<bool>(
                name: "IsTest",
                table: "Payments",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "CheckoutApprovals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CompanyId = table.Column<Guid>(type: "uuid", nullable: false),
                    CheckoutId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProviderReference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    SettledCheckout = table.Column<bool>(type: "boolean", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CheckoutApprovals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CheckoutApprovals_Checkouts_CheckoutId",
                        column: x => x.CheckoutId,
                        principalTable: "Checkouts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_CheckoutId",
                table: "Payments",
                column: "CheckoutId");

            migrationBuilder.CreateIndex(
                name: "IX_CheckoutApprovals_CheckoutId_ProviderReference",
                table: "CheckoutApprovals",
                columns: new[] { "CheckoutId", "ProviderReference" },
                unique: true);

            // Every approval already booked becomes its exactly-once key, so a late duplicate of it books nothing.
            migrationBuilder.Sql("""
                INSERT INTO "CheckoutApprovals" ("CompanyId", "CheckoutId", "ProviderReference", "Amount", "SettledCheckout", "RecordedAt")
                SELECT c."CompanyId", c."Id", COALESCE(c."GatewayReference", CAST(c."Id" AS TEXT)), c."Amount", TRUE, COALESCE(c."CompletedAt", c."UpdatedAt")
                FROM "Checkouts" c WHERE c."State" = 3
                """);
            migrationBuilder.Sql("""UPDATE "Payments" SET "IsTest" = TRUE WHERE "Method" = 1""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CheckoutApprovals");

            migrationBuilder.DropIndex(
                name: "IX_Payments_CheckoutId",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "IsTest",
                table: "Payments");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_CheckoutId",
                table: "Payments",
                column: "CheckoutId",
                unique: true);
        }
    }
}
