using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Abono.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CustomerSearchName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SearchName",
                table: "Customers",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_CompanyId_SearchName",
                table: "Customers",
                columns: new[] { "CompanyId", "SearchName" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_CompanyId_SearchName",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "SearchName",
                table: "Customers");
        }
    }
}
