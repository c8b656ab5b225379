using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Abono.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CheckoutAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AttemptKey",
                table: "Checkouts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StartJson",
                table: "Checkouts",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Checkouts_CompanyId_CustomerId_AttemptKey",
                table: "Checkouts",
                columns: new[] { "CompanyId", "CustomerId", "AttemptKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Checkouts_CompanyId_CustomerId_AttemptKey",
                table: "Checkouts");

            migrationBuilder.DropColumn(
                name: "AttemptKey",
                table: "Checkouts");

            migrationBuilder.DropColumn(
                name: "StartJson",
                table: "Checkouts");
        }
    }
}
