package io.stopplane.api.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /console/} opens the page (its assets are static resources beside it); {@code /console} redirects there. */
@Controller
class ConsolePages {

    @GetMapping("/console")
    String redirect() {
        return "redirect:/console/";
    }

    @GetMapping("/console/")
    String index() {
        return "forward:/console/index.html";
    }
}
