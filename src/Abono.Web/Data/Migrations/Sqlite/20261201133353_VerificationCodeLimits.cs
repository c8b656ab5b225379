using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Abono.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VerificationCodeLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PortalVerificationCodes_CustomerId",
                table: "PortalVerificationCodes");

            migrationBuilder.AddColumn<string>(
                name: "SourceHash",
                table: "PortalVerificationCodes",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_PortalVerificationCodes_CustomerId_CreatedAt",
                table: "PortalVerificationCodes",
                columns: new[] { "CustomerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PortalVerificationCodes_SourceHash_CreatedAt",
                table: "PortalVerificationCodes",
                columns: new[] { "SourceHash", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PortalVerificationCodes_CustomerId_CreatedAt",
                table: "PortalVerificationCodes");

            migrationBuilder.DropIndex(
                name: "IX_PortalVerificationCodes_SourceHash_CreatedAt",
                table: "PortalVerificationCodes");

            migrationBuilder.DropColumn(
                name: "SourceHash",
                table: "PortalVerificationCodes");

            migrationBuilder.CreateIndex(
                name: "IX_PortalVerificationCodes_CustomerId",
                table: "PortalVerificationCodes",
                column: "CustomerId");
        }
    }
}
