using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Abono.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PortalBrand : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AccentColor",
                table: "PortalConfigurations",
                type: "character varying(7)",
                maxLength: 7,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactAddress",
                table: "PortalConfigurations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactEmail",
                table: "PortalConfigurations",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactPhone",
                table: "PortalConfigurations",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "LogoVersion",
                table: "PortalConfigurations",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "PortalLogos",
                columns: table => new
                {
                    CompanyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Png = table.Column<byte[]>(type: "bytea", nullable: false),
                    Width = table.Column<int>(type: "integer", nullable: false),
                    Height = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PortalLogos", x => x.CompanyId);
                    table.ForeignKey(
                        name: "FK_PortalLogos_PortalConfigurations_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "PortalConfigurations",
                        principalColumn: "CompanyId",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PortalLogos");

            migrationBuilder.DropColumn(
                name: "AccentColor",
                table: "PortalConfigurations");

            migrationBuilder.DropColumn(
                name: "ContactAddress",
                table: "PortalConfigurations");

            migrationBuilder.DropColumn(
                name: "ContactEmail",
                table: "PortalConfigurations");

            migrationBuilder.DropColumn(
                name: "ContactPhone",
                table: "PortalConfigurations");

            migrationBuilder.DropColumn(
                name: "LogoVersion",
                table: "PortalConfigurations");
        }
    }
}
