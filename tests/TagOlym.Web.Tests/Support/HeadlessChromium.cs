using OpenQA.Selenium.Chrome;

namespace TagOlym.Web.Tests.Support;

/// <summary>Starts the system's Chromium headless through its chromedriver (found by <see cref="ChromiumFactAttribute"/>).</summary>
public static class HeadlessChromium
{
    public static ChromeDriver Start(int width = 1280, int height = 1000, Action<ChromeOptions>? configure = null)
    {
        var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.Browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", $"--window-size={width},{height}");
        configure?.Invoke(options);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromiumFactAttribute.Driver), Path.GetFileName(ChromiumFactAttribute.Driver));
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}
