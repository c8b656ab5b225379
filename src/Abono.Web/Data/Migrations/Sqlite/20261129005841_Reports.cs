using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Abono.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Reports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Payments_CompanyId_PaidAt",
                table: "Payments");

            migrationBuilder.AddColumn<int>(
                name: "Status",
                table: "Payments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_Payments_CompanyId_PaidAt_Id",
                table: "Payments",
                columns: new[] { "CompanyId", "PaidAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Documents_Owed",
                table: "Documents",
                columns: new[] { "CompanyId", "DueDate", "Id", "Balance" },
                filter: "\"Balance\" > 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Payments_CompanyId_PaidAt_Id",
                table: "Payments");

            migrationBuilder.DropIndex(
                name: "IX_Documents_Owed",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "Payments");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_CompanyId_PaidAt",
                table: "Payments",
                columns: new[] { "CompanyId", "PaidAt" });
        }
    }
}
