using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Abono.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MismatchedApprovals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AmountMismatch",
                table: "CheckoutApprovals",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Currency",
                table: "CheckoutApprovals",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedAt",
                table: "CheckoutApprovals",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "CheckoutApprovals",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AmountMismatch",
                table: "CheckoutApprovals");

            migrationBuilder.DropColumn(
                name: "Currency",
                table: "CheckoutApprovals");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "CheckoutApprovals");

            migrationBuilder.DropColumn(
                name: "ReviewedBy",
                table: "CheckoutApprovals");
        }
    }
}
